import EventLog
import Foundation
@testable import SmartContentDomain
import Testing
import TestSupport

@Suite struct CatalogTests {
    @Test func theSamplesCoverTheWholeCatalog() {
        #expect(Set(Samples.all.map(\.type)) == Set(EventCatalog.eventTypes))
        #expect(EventCatalog.eventTypes.count == 43)
    }

    /// Stream names are the log's keys on disk: spelt as the stores already written.
    @Test func streamNamesAreTheOnesOnDisk() {
        #expect(Streams.categories == ["user", "workspace", "subject", "content", "schedule", "channel", "distribution",
                                       "engagement", "audience", "abtest", "webhook"])
        #expect(Streams.content(ContentID("cnt_1")) == "content-cnt_1")
        #expect(Streams.subject("rdr-42") == "subject-rdr-42")
        #expect(Streams.engagement.id(of: "engagement-cnt_1") == "cnt_1")
        #expect(Streams.engagement.id(of: "content-cnt_1") == nil)
        #expect(Streams.recommendations == "recommendations")
    }

    /// Scans for sealed data (verify, a store that lost its keys) read only these types:
    /// a type missing here would hide its personal data from them.
    @Test func everyTypeThatCarriesPersonalDataIsListedAsSuch() {
        let carrying = Set(Samples.all.filter(\.carriesPersonalData).map(\.type))
        #expect(!carrying.isEmpty)
        #expect(carrying.isSubset(of: DomainEvent.personalDataTypes))
        #expect(DomainEvent.personalDataTypes.isSubset(of: Set(EventCatalog.eventTypes)))
    }

    @Test(arguments: Samples.all)
    func everyEventRoundTripsThroughBinaryAndJSON(event: DomainEvent) throws {
        let binary = EventCatalog.encodeBinary(event)
        let fromBinary = try binary.withUnsafeBytes {
            try EventCatalog.decode(type: event.type, schemaVersion: event.schemaVersion, binary: $0)
        }
        #expect(fromBinary == event)
        let json = EventCatalog.encodeJSON(event)
        #expect(try EventCatalog.decode(type: event.type, schemaVersion: event.schemaVersion, json: json) == event)
    }

    @Test func jsonUsesDesignsFieldNames() throws {
        func keys(_ event: DomainEvent) throws -> Set<String> {
            let object = try JSONSerialization.jsonObject(with: EventCatalog.encodeJSON(event)) as! [String: Any]
            return Set(object.keys)
        }
        let scheduled = try #require(Samples.all.first { $0.type == "ContentScheduled" })
        #expect(try keys(scheduled).isSuperset(of: ["scheduleId", "contentId", "publishTime", "timezone", "channels"]))
        let published = try #require(Samples.all.first { $0.type == "ContentPublished" })
        #expect(try keys(published) == ["contentId", "scheduleId", "channelId", "jobId", "publishedAt", "externalId"])
        let engagement = try #require(Samples.all.first { $0.type == "EngagementRecorded" })
        #expect(try keys(engagement) == ["contentId", "kind", "userId", "channel", "occurredAt", "value"])
        let created = try #require(Samples.all.first { $0.type == "ContentCreated" })
        #expect(try keys(created) == ["contentId", "workspaceId", "authorId", "title", "body", "contentType", "tone",
                                      "keywords", "generated"])
        let text = String(decoding: EventCatalog.encodeJSON(created), as: UTF8.self)
        #expect(text.contains(#""contentType":"blog_post""#))
        #expect(text.contains(#""generated":{"#))
        let publishedText = String(decoding: EventCatalog.encodeJSON(published), as: UTF8.self)
        #expect(publishedText.contains(#""publishedAt":"2026-02-15T10:30:00.123Z""#))
    }

    @Test func theDesignExampleDecodes() throws {
        let data = Data(#"""
            {"contentId": "cnt_abc123", "workspaceId": "wsp_1", "authorId": "usr_1", "title": "T",
             "body": "B", "contentType": "blog_post", "tone": "professional", "keywords": ["AI"],
             "generated": {"generator": "offline", "model": "m", "topic": "t", "length": 800}}
            """#.utf8)
        guard case .contentCreated(let created) = try EventCatalog.decode(type: "ContentCreated", schemaVersion: 1, json: data)
        else { Issue.record("wrong case"); return }
        #expect(created.generated?.length == 800)
        #expect(created.tone == .professional)
    }

    /// The v1 fixture was written by the first EngagementRecorded codec, before `value`.
    @Test func aVersion1EngagementStillDecodes() throws {
        let url = try #require(Bundle.module.url(forResource: "EngagementRecorded-v1", withExtension: "bin", subdirectory: "Fixtures"))
        let bytes = try [UInt8](Data(contentsOf: url))
        let event = try bytes.withUnsafeBytes {
            try EventCatalog.decode(type: "EngagementRecorded", schemaVersion: 1, binary: $0)
        }
        guard case .engagementRecorded(let engagement) = event else { Issue.record("wrong case"); return }
        #expect(engagement.contentId == "cnt_fixture")
        #expect(engagement.kind == .click)
        #expect(engagement.userId?.rawValue == "reader-7")
        #expect(engagement.channel == "newsletter")
        #expect(engagement.occurredAt == Instant(iso8601: "2026-01-02T03:04:05.678Z"))
        #expect(engagement.value == nil)
        #expect(engagement.effectiveValue == 1)

        let jsonURL = try #require(Bundle.module.url(forResource: "EngagementRecorded-v1", withExtension: "json", subdirectory: "Fixtures"))
        let fromJSON = try EventCatalog.decode(type: "EngagementRecorded", schemaVersion: 1, json: Data(contentsOf: jsonURL))
        #expect(fromJSON == event)
    }

    /// The v1 fixture was written by the first ContentRefined codec, before `tone`,
    /// `keywords` and `notApplied`: it reads as a refinement that changed neither.
    @Test func aVersion1RefinementStillDecodes() throws {
        let url = try #require(Bundle.module.url(forResource: "ContentRefined-v1", withExtension: "bin", subdirectory: "Fixtures"))
        let bytes = try [UInt8](Data(contentsOf: url))
        let event = try bytes.withUnsafeBytes {
            try EventCatalog.decode(type: "ContentRefined", schemaVersion: 1, binary: $0)
        }
        guard case .contentRefined(let refined) = event else { Issue.record("wrong case"); return }
        #expect(refined.contentId == "cnt_fixture")
        #expect(refined.version == 4)
        #expect(refined.instructions == "make it shorter")
        #expect(refined.generated.topic == "edge computing")
        #expect(refined.tone == nil && refined.keywords == nil && refined.notApplied.isEmpty)

        let jsonURL = try #require(Bundle.module.url(forResource: "ContentRefined-v1", withExtension: "json", subdirectory: "Fixtures"))
        let fromJSON = try EventCatalog.decode(type: "ContentRefined", schemaVersion: 1, json: Data(contentsOf: jsonURL))
        #expect(fromJSON == event)
        #expect(EventCatalog.currentSchemaVersion(of: "ContentRefined") == 2)
    }

    /// The v1 fixtures were written by the first ContentScheduled and ScheduleUpdated
    /// codecs, before local times and recurrence: they read as one-offs at an instant.
    @Test func version1SchedulesStillDecode() throws {
        func fixture(_ name: String, _ type: String) throws -> DomainEvent {
            let url = try #require(Bundle.module.url(forResource: name, withExtension: "bin", subdirectory: "Fixtures"))
            let event = try [UInt8](Data(contentsOf: url)).withUnsafeBytes {
                try EventCatalog.decode(type: type, schemaVersion: 1, binary: $0)
            }
            let jsonURL = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
            #expect(try EventCatalog.decode(type: type, schemaVersion: 1, json: Data(contentsOf: jsonURL)) == event)
            return event
        }
        guard case .contentScheduled(let scheduled) = try fixture("ContentScheduled-v1", "ContentScheduled") else {
            Issue.record("wrong case"); return
        }
        #expect(scheduled.scheduleId == "sch_fixture" && scheduled.workspaceId == "wsp_fixture")
        #expect(scheduled.publishTime == Instant(iso8601: "2027-01-01T08:00:00Z"))
        #expect(scheduled.timezone == "Europe/Paris" && scheduled.channels == ["chn_fixture", "chn_mail"])
        #expect(scheduled.localPublishTime == nil && scheduled.recurrence == nil)
        guard case .scheduleUpdated(let updated) = try fixture("ScheduleUpdated-v1", "ScheduleUpdated") else {
            Issue.record("wrong case"); return
        }
        #expect(updated.publishTime == Instant(iso8601: "2027-01-01T09:00:00Z") && updated.timezone == "America/New_York")
        #expect(updated.localPublishTime == nil && updated.recurrence == nil)
        #expect(EventCatalog.currentSchemaVersion(of: "ContentScheduled") == 2)
    }

    @Test func unknownTypesAndVersionsAreReportedNotDropped() {
        #expect(throws: EventCatalog.Failure.unknownType("Nope")) {
            try [UInt8]().withUnsafeBytes { try EventCatalog.decode(type: "Nope", schemaVersion: 1, binary: $0) }
        }
        #expect(throws: EventCatalog.Failure.unsupportedSchemaVersion(type: "EngagementRecorded", version: 9, current: 2)) {
            try [UInt8]().withUnsafeBytes { try EventCatalog.decode(type: "EngagementRecorded", schemaVersion: 9, binary: $0) }
        }
        #expect(throws: EventCatalog.Failure.self) {
            try EventCatalog.decode(type: "EngagementRecorded", schemaVersion: 3, json: Data("{}".utf8))
        }
    }

    @Test func badJSONNamesTheField() {
        let cases: [(String, String)] = [
            (#"{"contentId":"cnt_1","kind":"stare","occurredAt":"2026-01-01T00:00:00Z"}"#, "kind"),
            (#"{"contentId":"nope","kind":"view","occurredAt":"2026-01-01T00:00:00Z"}"#, "contentId"),
            (#"{"contentId":"cnt_1","kind":"view"}"#, "occurredAt"),
            (#"{"contentId":"cnt_1","kind":"view","occurredAt":"yesterday"}"#, "occurredAt"),
            (#"{"contentId":"cnt_1","kind":"view","occurredAt":"2026-01-01T00:00:00Z","value":"x"}"#, "value"),
        ]
        for (json, field) in cases {
            #expect {
                try EventCatalog.decode(type: "EngagementRecorded", schemaVersion: 2, json: Data(json.utf8))
            } throws: { error in
                guard case EventCatalog.Failure.malformedPayload(_, let reason) = error else { return false }
                return reason.contains(field)
            }
        }
    }

    /// Ids are checked on the record's bytes before they become strings: a record holding
    /// an id or reader id the catalog would refuse is malformed, and says which value.
    @Test func binaryRecordsWithInvalidIdsAreRefusedAndNonASCIIReadersKept() throws {
        func decode(_ bytes: [UInt8]) throws -> DomainEvent {
            try bytes.withUnsafeBytes { try EventCatalog.decode(type: "EngagementRecorded", schemaVersion: 2, binary: $0) }
        }
        func refused(_ bytes: [UInt8], saying text: String) -> Bool {
            do {
                _ = try decode(bytes)
                return false
            } catch EventCatalog.Failure.malformedPayload(_, let reason) {
                return reason.contains(text)
            } catch {
                return false
            }
        }
        let epoch = Instant(millisecondsSince1970: 0)
        let badContent = EngagementRecorded(contentId: ContentID(unchecked: "cnt_bad id"), kind: .view, occurredAt: epoch)
        #expect(refused(EventCatalog.encodeBinary(badContent.event), saying: "cnt_bad id"))
        let wrongPrefix = EngagementRecorded(contentId: ContentID(unchecked: "usr_1"), kind: .view, occurredAt: epoch)
        #expect(refused(EventCatalog.encodeBinary(wrongPrefix.event), saying: "usr_1"))

        var controlReader = EventCatalog.encodeBinary(
            EngagementRecorded(contentId: "cnt_1", kind: .view, userId: ReaderID(rawValue: "reader-X"), occurredAt: epoch).event)
        controlReader[controlReader.lastIndex(of: UInt8(ascii: "X"))!] = 0x01
        #expect(refused(controlReader, saying: "ReaderID"))

        let accented = EngagementRecorded(contentId: "cnt_1", kind: .view, userId: ReaderID(rawValue: "lecteur-é"), occurredAt: epoch)
        #expect(try decode(EventCatalog.encodeBinary(accented.event)) == accented.event)
        var invalidUTF8 = EventCatalog.encodeBinary(accented.event)
        invalidUTF8[invalidUTF8.lastIndex(of: 0xA9)!] = 0xFF     // é is C3 A9
        // The error points at the string's first byte: after the content id (1 + 5 bytes),
        // the kind (1) and the reader's tag and length (1 + 1).
        #expect(refused(invalidUTF8, saying: "at byte 9: invalid UTF-8"))
        // Other strings likewise: the channel's starts after the id (6), the kind (1), an
        // absent reader (1), and the channel's tag and length (1 + 1).
        var badChannel = EventCatalog.encodeBinary(
            EngagementRecorded(contentId: "cnt_1", kind: .view, channel: "é", occurredAt: epoch).event)
        badChannel[badChannel.lastIndex(of: 0xA9)!] = 0xFF
        #expect(refused(badChannel, saying: "at byte 10: invalid UTF-8"))
    }

    @Test func truncatedOrCorruptedBinaryNeverCrashes() throws {
        // A failure here is a crash, which carries no message: the seed is said beforehand.
        let seed = TestSeed()
        print("truncatedOrCorruptedBinaryNeverCrashes: \(seed)")
        var generator = seed.generator
        for event in Samples.all {
            let bytes = EventCatalog.encodeBinary(event)
            for cut in 0..<bytes.count {
                let prefix = Array(bytes[..<cut])
                #expect(throws: EventCatalog.Failure.self) {
                    try prefix.withUnsafeBytes { try EventCatalog.decode(type: event.type, schemaVersion: event.schemaVersion, binary: $0) }
                }
            }
            for _ in 0..<50 {
                var mutated = bytes
                mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                // Either a clean error or some (possibly different) event: never a crash.
                _ = try? mutated.withUnsafeBytes { try EventCatalog.decode(type: event.type, schemaVersion: event.schemaVersion, binary: $0) }
            }
        }
    }

    @Test func storedEngagementDecodesAndItsDamageIsReported() async throws {
        // Engagement read from the log takes a path of its own: it must refuse what the
        // catalog's table refuses.
        let directory = TemporaryDirectory("catalog")
        defer { directory.remove() }
        let log = try EventLog(directory: directory.path)
        let engagement = EngagementRecorded(contentId: "cnt_1", kind: .share, userId: ReaderID(rawValue: "reader-1"),
                                            channel: "web", occurredAt: Instant(millisecondsSince1970: 1_767_225_600_000), value: 2.5)
        let bytes = EventCatalog.encodeBinary(engagement.event)
        func stored(_ payload: [UInt8], version: UInt16 = 2) -> NewEvent {
            NewEvent(type: "EngagementRecorded", schemaVersion: version, payloadFormat: .binary, payload: payload)
        }
        try await log.append([stored(bytes), stored(bytes + [0]), stored(Array(bytes.dropLast())), stored(bytes, version: 9)],
                             to: "engagement-cnt_1")
        let results = try log.withSnapshot { snapshot in
            var results: [Result<DomainEvent, EventCatalog.Failure>] = []
            try snapshot.forEach(from: 1) { view in
                results.append(Result { () throws(EventCatalog.Failure) in try EventCatalog.decode(view) })
                return true
            }
            return results
        }
        await log.close()
        #expect(try results[0].get() == engagement.event)
        #expect(throws: EventCatalog.Failure.malformedPayload(type: "EngagementRecorded", reason: "trailing bytes after the payload")) {
            try results[1].get()
        }
        #expect(throws: EventCatalog.Failure.self) { try results[2].get() }
        #expect(throws: EventCatalog.Failure.unsupportedSchemaVersion(type: "EngagementRecorded", version: 9, current: 2)) {
            try results[3].get()
        }
    }

    @Test func idsAreValidatedAndGenerated() {
        #expect(ContentID(rawValue: "cnt_abc-1_Z") != nil)
        #expect(ContentID(rawValue: "usr_abc") == nil)
        #expect(ContentID(rawValue: "cnt_") == nil)
        #expect(ContentID(rawValue: "cnt_a b") == nil)
        #expect(ContentID(rawValue: "cnt_" + String(repeating: "a", count: 65)) == nil)
        let generated = ContentID.generate()
        #expect(generated.rawValue.hasPrefix("cnt_") && ContentID(rawValue: generated.rawValue) != nil)
        #expect(ContentID.generate() != ContentID.generate())
        // 15 bytes: short enough for a Swift string to hold inline, and 66 random bits.
        let many = (0..<10_000).map { _ in UserID.generate().rawValue }
        #expect(many.allSatisfy { $0.utf8.count == 15 && UserID(rawValue: $0) != nil })
        #expect(Set(many).count == many.count)
        #expect(Set(many.flatMap { $0.dropFirst(4) }).count == 64, "every character of the alphabet is drawn")
        #expect(ReaderID(rawValue: String(repeating: "r", count: 128)) != nil)
        #expect(ReaderID(rawValue: String(repeating: "r", count: 129)) == nil)
    }
}
