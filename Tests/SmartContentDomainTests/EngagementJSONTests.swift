import EventLog
import Foundation
@testable import SmartContentDomain
import Testing
import TestSupport

/// Engagement's hand-written JSON must be the catalog's JSON, byte for byte, or a replay
/// piped into an import (or compared with an older replay) would differ.
@Suite struct EngagementJSONTests {
    static func randomEvent(_ random: inout SplitMix64) -> EngagementRecorded {
        let texts = ["web", "newsletter", "a/b", "é ünïcode", "tab\there", "quote\"d", "back\\slash", "line\nbreak",
                     "\u{2028}sep", "x", String(repeating: "z", count: 64)]
        let values: [Double?] = [nil, 1, 0, 19.5, 49.99, 0.1 + 0.2, 1e12, 123456.789, 1e-7, 3]
        let readers = [nil, "usr_abc", "rdr_Zx-9_q", "jane.doe@corp.example", "reader \"q\"", "ünï"]
        return EngagementRecorded(
            contentId: ContentID(rawValue: "cnt_\(random.next() % 1000)")!,
            kind: EngagementKind.allCases[Int(random.next() % 5)],
            userId: readers[Int(random.next() % UInt64(readers.count))].flatMap(ReaderID.init(rawValue:)),
            channel: random.next() % 3 == 0 ? nil : texts[Int(random.next() % UInt64(texts.count))],
            occurredAt: Instant(millisecondsSince1970: Int64(random.next() % 4_000_000_000_000)),
            value: values[Int(random.next() % UInt64(values.count))])
    }

    @Test func writtenJSONIsTheCatalogsByteForByte() throws {
        let seed = TestSeed()
        var random = seed.generator
        var written = 0
        for _ in 0..<5_000 {
            let event = Self.randomEvent(&random)
            var fast: [UInt8] = []
            guard event.appendJSON(to: &fast) else {
                #expect(fast.isEmpty, "nothing appended when declining; \(seed)")
                continue
            }
            written += 1
            let catalog = Array(EventCatalog.encodeJSON(.engagementRecorded(event)))
            #expect(fast == catalog, "\(String(decoding: fast, as: UTF8.self)) != \(String(decoding: catalog, as: UTF8.self)); \(seed)")
        }
        #expect(written > 2_500, "the fast path handles the common events (\(written) of 5000); \(seed)")
    }

    @Test func readJSONIsWhatTheCatalogReads() throws {
        let seed = TestSeed()
        var random = seed.generator
        var read = 0
        for _ in 0..<5_000 {
            let event = Self.randomEvent(&random)
            let json = EventCatalog.encodeJSON(.engagementRecorded(event))
            let viaCodable = try EventCatalog.decode(type: EngagementRecorded.eventType, schemaVersion: 2, json: json)
            guard let fast = EngagementRecorded(json: try JSONValue(parsing: Array(json))) else { continue }
            read += 1
            #expect(DomainEvent.engagementRecorded(fast) == viaCodable, "\(seed)")
        }
        #expect(read == 5_000, "every event the catalog writes reads back the fast way; \(seed)")
        // What the Codable path refuses, the fast path leaves to it.
        for text in [#"{"contentId":"cnt_1","kind":"like","occurredAt":"2026-02-15T10:00:00Z"}"#,
                     #"{"contentId":"nope","kind":"view","occurredAt":"2026-02-15T10:00:00Z"}"#,
                     #"{"contentId":"cnt_1","kind":"view","occurredAt":"soon"}"#,
                     #"{"contentId":"cnt_1","kind":"view","occurredAt":"2026-02-15T10:00:00Z","value":-1}"#,
                     #"{"contentId":"cnt_1","kind":"view","occurredAt":"2026-02-15T10:00:00Z","extra":1}"#,
                     #"{"contentId":"cnt_1","kind":"view"}"#] {
            #expect(EngagementRecorded(json: try JSONValue(parsing: text)) == nil, "\(text)")
        }
    }
}
