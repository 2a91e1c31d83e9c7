import EventLog
import Foundation
@testable import SmartContentDomain
import Testing
import TestSupport

/// `import` reads most lines in place (``EventCatalog/importLine(_:)``): whatever it
/// reads must be what the general parser reads, and whatever it leaves must reach the
/// general parser, to be accepted or refused with the same words.
@Suite struct ImportLineTests {
    static let engagement = #""contentId":"cnt_7","kind":"view","occurredAt":"2026-02-15T10:30:00Z""#
    static let created = #""contentId":"cnt_7","workspaceId":"wsp_1","authorId":"usr_1","title":"T","body":"B","contentType":"article""#

    /// Lines the fast path reads.
    static let common: [String] = [
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","id":"e3d6e4b9-d96e-482d-8d50-2d42af1ffe0d","recordedAt":"2026-01-01T00:00:03.500Z","metadata":{"actor":"system","workspaceId":"wsp_bench"},"data":{"contentId":"cnt_7","kind":"click","userId":"reader-3777","channel":"newsletter","occurredAt":"2025-12-31T23:59:02.500Z"}}"#,
        #"{"position":41,"stream":"engagement-cnt_7","version":0,"type":"EngagementRecorded","schemaVersion":2,"id":"0B6F0000-0000-4000-8000-000000000001","recordedAt":"2026-02-15T10:30:00.123Z","metadata":{"actor":"usr_1","correlationId":"c","causationId":null},"data":{"channel":"web","contentId":"cnt_7","kind":"conversion","occurredAt":"2026-02-15T10:30:00.123Z","userId":"rdr_Zx-9_q","value":19.99}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":49.5}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":0}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":0.1,"userId":null,"channel":null}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":1000000000000}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":123456.789012345}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":0.000000000000001}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","schemaVersion":1,"data":{\#(engagement),"userId":"jane.doe@corp.example"}}"#,
        #" { "stream" : "engagement-cnt_7" , "type":"EngagementRecorded", "recordedAt":null, "metadata":null, "expectedVersion":"noStream", "data" : { "contentId" : "cnt_7", "kind":"share", "occurredAt":"2026-02-15" } } "#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","expectedVersion":3,"data":{\#(engagement)}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","expectedVersion":"any","metadata":{},"data":{\#(engagement)}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","expectedVersion":null,"data":{"contentId":"cnt_7","kind":"view","occurredAt":"2026-02-15T10:30:00+02:00"}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","id":"e8d79f49-af6d-414c-8a6f-188a424e617b","metadata":{"actor":"usr_1"},"data":{\#(created),"tone":"casual","keywords":["AI","content"]}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","data":{"contentId":"cnt_7","workspaceId":"wsp_1","authorId":"usr_1","title":"Quote \" back\\slash \/ tab\t nl\n é \u00e9 \ud83d\ude80","body":"ünïcode ✓ 🚀 \u2028","contentType":"blog_post","tone":null,"keywords":null,"generated":null}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","schemaVersion":1,"data":{\#(created),"keywords":[],"generated":{"generator":"offline","model":"m","topic":"AI","length":800,"targetAudience":"devs"}}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","data":{\#(created),"generated":{"generator":"offline","model":"m","topic":"AI","length":0,"targetAudience":null}}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","data":{\#(created),"keywords":[ "a" , "b\"" ]}}"#,
    ]

    /// Lines the fast path leaves to the general parser: accepted or refused there.
    static let unusual: [String] = [
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":1e3}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":-0}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":-1}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":1000000000000.5}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":0.1234567890123456789}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":01}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"value":"1"}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"extra":1}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"kind":"click"}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"userId":"\u00e9t\u00e9"}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"userId":""}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement),"channel":"caf\u00e9"}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{"contentId":"cnt_7","kind":"stare","occurredAt":"2026-02-01T00:00:00Z"}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{"contentId":"cnt_7","kind":"view","occurredAt":"soon"}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{"contentId":"cnt_7","kind":"view"}}"#,
        #"{"stream":"engagement-cnt_9","type":"EngagementRecorded","data":{\#(engagement)}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","schemaVersion":3,"data":{\#(engagement)}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","schemaVersion":0,"data":{\#(engagement)}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)},"extra":1}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)},"type":"EngagementRecorded"}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)},"id":"nope"}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)},"recordedAt":"2026-13-01T00:00:00Z"}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)},"expectedVersion":-1}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)},"metadata":{"actor":"a","actor":"b"}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)},"metadata":{"actor":1}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)},"metadata":{"":"x"}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)},"metadata":{"who":"caf\u00e9"}}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)},"position":[1]}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)}} trailing"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":{\#(engagement)}"#,
        #"{"stream":"engagement-cnt_7","type":"EngagementRecorded","data":"not an object"}"#,
        #"{"stream":"","type":"EngagementRecorded","data":{}}"#,
        #"{"stream":"s-1","type":"Unheard","data":{}}"#,
        #"{"stream":"engagement-cnt_7","type":"","data":{\#(engagement)}}"#,
        #"{"type":"EngagementRecorded","data":{\#(engagement)}}"#,
        #"["not an object"]"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","data":{\#(created),"extra":true}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","data":{\#(created),"tone":"grumpy"}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","data":{\#(created),"keywords":[1]}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","data":{\#(created),"generated":{"generator":"g","model":"m","topic":"t","length":-5}}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","data":{\#(created),"generated":{"generator":"g","model":"m","topic":"t","length":8e2}}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","data":{\#(created),"generated":{"generator":"g","model":"m","topic":"t"}}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","data":{"contentId":"cnt_7","workspaceId":"wsp_1","authorId":"usr_1","title":"bad \ud800 surrogate","body":"B","contentType":"article"}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","data":{"contentId":"cnt_7","workspaceId":"usr_1","authorId":"usr_1","title":"T","body":"B","contentType":"article"}}"#,
        #"{"stream":"content-cnt_8","type":"ContentCreated","data":{\#(created)}}"#,
        #"{"stream":"content-cnt_7","type":"ContentCreated","schemaVersion":2,"data":{\#(created)}}"#,
        #"{"stream":"content-cnt_7","type":"ContentUpdated","data":{"contentId":"cnt_7","version":2,"title":"T","body":"B","contentType":"article","keywords":[],"changes":"c","editedBy":"usr_1"}}"#,
    ]

    enum Outcome {
        case success((EventCatalog.ImportLine, NewEvent))
        case failure(String)
    }

    /// What the general parser makes of `line`: the event (payload encoded) or the error.
    static func general(_ line: String) -> Outcome {
        do {
            let parsed = try WireFormat.parseLine(Array(line.utf8))
            let decoded = try EventCatalog.decode(line: parsed)
            let imported = EventCatalog.ImportLine(stream: parsed.stream, expectedVersion: parsed.expectedVersion,
                                                   event: parsed.event, decoded: decoded)
            return .success((imported, EventCatalog.newEvent(from: imported, encoding: decoded)))
        } catch {
            return .failure("\(error)")
        }
    }

    static func fast(_ line: String) -> Outcome {
        do {
            let imported = try Array(line.utf8).withUnsafeBytes { try EventCatalog.importLine($0) }
            return .success((imported, EventCatalog.newEvent(from: imported, encoding: imported.decoded)))
        } catch {
            return .failure("\(error)")
        }
    }

    static func expectSame(_ line: String) {
        switch (general(line), fast(line)) {
        case (.success(let (want, wantEvent)), .success(let (got, gotEvent))):
            #expect(got.stream == want.stream, "\(line)")
            #expect(got.expectedVersion == want.expectedVersion, "\(line)")
            #expect(got.decoded == want.decoded, "\(line)")
            var gotEvent = gotEvent
            if !line.contains(#""id":"#) { gotEvent.id = wantEvent.id }
            #expect(gotEvent == wantEvent, "\(line)")
        case (.failure(let want), .failure(let got)):
            #expect(got == want, "\(line)")
        case (let want, let got):
            Issue.record("\(line): the general parser gives \(want), the fast one \(got)")
        }
    }

    @Test func commonLinesAreReadInPlaceAsTheGeneralParserReadsThem() {
        for line in Self.common {
            Self.expectSame(line)
            let scanned = Array(line.utf8).withUnsafeBytes { bytes in
                WireFormat.scanLine(bytes).flatMap { EventCatalog.scannedImportLine($0) }
            }
            #expect(scanned != nil, "read in place: \(line)")
        }
    }

    @Test func unusualLinesAreLeftToTheGeneralParser() {
        for line in Self.unusual {
            Self.expectSame(line)
        }
    }

    @Test func decimalsAreTheDoublesTheirTextGives() {
        let seed = TestSeed()
        var random = seed.generator
        for _ in 0..<20_000 {
            let integer = random.next() % 1_000_000_000
            let fraction = random.next() % 1_000_000
            let places = Int(random.next() % 7)
            var text = "\(integer)"
            if places > 0 {
                let digits = String(fraction)
                text += "." + String(repeating: "0", count: max(0, places - digits.count)) + digits.prefix(places)
            }
            let read = Array(text.utf8).withUnsafeBytes { bytes -> Double? in
                var scanner = JSONScanner(bytes)
                return scanner.decimal()
            }
            #expect(read == Double(text), "\(text); \(seed)")
        }
    }
}
