import EventLog
import Foundation
@testable import SmartContentDomain
import Testing

/// What `replay` prints for a stored event is a contract: older replays are compared with
/// newer ones, and replays are piped into imports. These lines were recorded with the
/// generic renderer (Foundation's `JSONEncoder`, metadata decoded to strings) before any
/// event type had a renderer of its own; every faster path must print them byte for byte.
@Suite struct WireLineTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/replay-lines.jsonl")

    /// Every type of the catalog, and the shapes that take a fast renderer's edge cases:
    /// escapes, non-ASCII text, absent optionals, numbers JSONEncoder writes its own way.
    static var events: [(stream: String, type: String, version: UInt16, format: PayloadFormat, payload: [UInt8], metadata: EventMetadata)] {
        var events = Samples.all.map { event in
            (event.stream, event.type, event.schemaVersion, PayloadFormat.binary, EventCatalog.encodeBinary(event),
             ["actor": "usr_alice", "workspaceId": "wsp_main"] as EventMetadata)
        }
        let time = Instant(millisecondsSince1970: 1_771_151_400_123)
        let texts = ["plain", "quote \" and back\\slash", "line\nbreak\ttab\rreturn", "bell\u{07} nul\u{0} del\u{7F} esc\u{1B}",
                     "é ünïcode ✓ 🚀", "slash / and <tags> & amps", "\u{2028}separators\u{2029}", ""]
        for (index, text) in texts.enumerated() {
            let created = ContentCreated(
                contentId: ContentID(rawValue: "cnt_t\(index)")!, workspaceId: "wsp_main", authorId: "usr_alice",
                title: text, body: text + " body", contentType: ContentType.allCases[index % ContentType.allCases.count],
                tone: index % 2 == 0 ? nil : Tone.allCases[index % Tone.allCases.count],
                keywords: index % 3 == 0 ? [] : [text, "AI"],
                generated: index % 2 == 0 ? nil : GenerationParameters(generator: "offline", model: text, topic: "t",
                                                                        length: index * 100, targetAudience: index % 4 == 1 ? nil : text))
            events.append((created.stream, ContentCreated.eventType, 1, .binary, EventCatalog.encodeBinary(created.event),
                           ["actor": "usr_\(index)", "correlationId": text, "causationId": "c-\(index)"] as EventMetadata))
        }
        let values: [Double?] = [nil, 1, 0, 19.99, 49.5, 0.1 + 0.2, 1e12, 123456.789, 1e-7, 3]
        let readers: [String?] = [nil, "usr_abc", "rdr_Zx-9_q", "reader-7", "jane.doe@corp.example", "reader \"q\"", "ünï"]
        for (index, value) in values.enumerated() {
            let engagement = EngagementRecorded(
                contentId: ContentID(rawValue: "cnt_e\(index)")!, kind: EngagementKind.allCases[index % 5],
                userId: readers[index % readers.count].flatMap(ReaderID.init(rawValue:)),
                channel: index % 3 == 0 ? nil : texts[index % texts.count], occurredAt: time.adding(milliseconds: Int64(index)),
                value: value)
            events.append((engagement.stream, EngagementRecorded.eventType, 2, .binary, EventCatalog.encodeBinary(engagement.event),
                           index % 2 == 0 ? EventMetadata() : ["actor": "system", "workspaceId": "wsp_é"] as EventMetadata))
        }
        // An older schema version, upcast on the way out; and a payload stored as JSON.
        let version1 = EngagementRecorded.Version1(contentId: "cnt_old", kind: .click, userId: ReaderID(rawValue: "reader-1"),
                                                   channel: "web", occurredAt: time)
        var writer = BinaryWriter()
        version1.encode(to: &writer)
        events.append(("engagement-cnt_old", EngagementRecorded.eventType, 1, .binary, writer.bytes, EventMetadata()))
        events.append(("custom-1", "SomethingElse", 3, .json, Array(#"{"b":[1,2],"a":"x"}"#.utf8), ["actor": "system"]))
        return events
    }

    /// The lines replay prints for ``events`` (credentials redacted, as without a key store),
    /// through the general renderer or through replay's (`revealing`), which renders
    /// engagement from its bytes and passes its pseudonymous readers to `reveal`.
    static func replayLines(
        revealing reveal: ((ReaderID) throws -> ReaderID)? = nil, replaysRenderer: Bool = false
    ) async throws -> String {
        let directory = NSTemporaryDirectory() + "smartcontent-wire-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = try EventLog(directory: directory)
        for (index, event) in events.enumerated() {
            let id = EventID(String(format: "00000000-0000-4000-8000-%012d", index))!
            try await log.append([NewEvent(id: id, type: event.type, schemaVersion: event.version, metadata: event.metadata,
                                           payloadFormat: event.format, payload: event.payload,
                                           recordedAt: 1_771_151_400_000 + Int64(index) * 1001)],
                                 to: StreamName(event.stream))
        }
        let reading: (DomainEvent) throws -> DomainEvent = { event in
            try event.mappingPersonalData { field, value in field.isCredential ? PersonalField.redacted : value }
                .mappingReaderIDs { reader in
                    guard let reveal, ReaderPseudonym(rawValue: reader.rawValue) != nil else { return reader }
                    return try reveal(reader)
                }
        }
        var out: [UInt8] = []
        try log.withSnapshot { snapshot in
            try snapshot.forEach(from: 1) { view in
                if replaysRenderer {
                    try EventCatalog.appendWireLine(view, to: &out, reading: reading, revealingReaders: reveal ?? { $0 })
                } else {
                    try EventCatalog.appendWireLine(view, to: &out, reading: reading)
                }
                out.append(UInt8(ascii: "\n"))
                return true
            }
        }
        await log.close()
        return String(decoding: out, as: UTF8.self)
    }

    @Test func replayLinesOfEveryEventTypeAreByteForByteAsRecorded() async throws {
        let lines = try await Self.replayLines()
        if ProcessInfo.processInfo.environment["SMARTCONTENT_RECORD_FIXTURES"] == "1" {
            try Data(lines.utf8).write(to: Self.fixture)
        }
        let recorded = try String(contentsOf: Self.fixture, encoding: .utf8)
        let got = lines.split(separator: "\n", omittingEmptySubsequences: false)
        let want = recorded.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(got.count == want.count)
        for (index, (line, expected)) in zip(got, want).enumerated() {
            #expect(line == expected, "line \(index + 1)")
        }
        #expect(Set(Samples.all.map(\.type)).isSubset(of: Set(got.compactMap { line in
            (try? JSONValue(parsing: String(line)))?["type"]?.stringValue
        })))
        #expect(try await Self.replayLines(replaysRenderer: true) == lines, "replay's renderer prints the same bytes")
    }

    @Test func replaysRendererRevealsReadersAsTheGeneralOneDoes() async throws {
        // A pseudonym shown as a plain id, and as one that needs escapes (left to the general path).
        for shown in ["reader-revealed", #"jane "q" doe"#] {
            let reveal: (ReaderID) throws -> ReaderID = { _ in ReaderID(rawValue: shown)! }
            let general = try await Self.replayLines(revealing: reveal)
            let replays = try await Self.replayLines(revealing: reveal, replaysRenderer: true)
            #expect(replays == general)
            #expect(!replays.contains("rdr_Zx-9_q"), "the sample pseudonym is revealed")
        }
    }
}
