import EventLog
import LMDB
import SmartContent
import SmartContentDomain
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10))) struct CLITests {
    @Test func appendThenReplayRoundTripsTheWireFormat() throws {
        let dir = DataDirectory()
        let appended = try dir.smartcontent(
            "append", "--stream", "content-cnt_1", "--type", "ContentCreated", "--expected-version", "noStream",
            "--actor", "usr_1", "--metadata", #"{"workspaceId":"wsp_1"}"#,
            "--id", "0b6f3c52-3f7e-4ad1-9a55-0d3f1c2b9e10",
            stdin: #"{"contentId":"cnt_1","workspaceId":"wsp_1","authorId":"usr_1","title":"Hi","body":"Hello there","#
                + #""contentType":"blog_post","tone":"professional","keywords":["AI"],"#
                + #""generated":{"generator":"offline","model":"m","topic":"AI","length":800}}"#)
        #expect(appended.status == 0, "\(appended.stderr)")
        let answer = try appended.json()
        #expect(answer["position"] == .number("1"))
        #expect(answer["version"] == .number("0"))

        let replayed = try dir.smartcontent("replay")
        #expect(replayed.status == 0)
        let line = try JSONValue(parsing: replayed.lines[0])
        #expect(line["position"] == .number("1"))
        #expect(line["stream"] == .string("content-cnt_1"))
        #expect(line["version"] == .number("0"))
        #expect(line["type"] == .string("ContentCreated"))
        #expect(line["schemaVersion"] == .number("1"))
        #expect(line["id"] == .string("0b6f3c52-3f7e-4ad1-9a55-0d3f1c2b9e10"))
        #expect(line["recordedAt"]?.stringValue.flatMap(Timestamp.parse) != nil)
        #expect(line["metadata"]?["actor"] == .string("usr_1"))
        #expect(line["metadata"]?["workspaceId"] == .string("wsp_1"))
        let data = try #require(line["data"])
        #expect(data["title"] == .string("Hi"))
        #expect(data["contentType"] == .string("blog_post"))
        #expect(data["keywords"] == .array([.string("AI")]))
        #expect(data["generated"]?["length"] == .number("800"))
    }

    @Test func aConflictExitsWith3AndAppendsNothing() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("append", "--stream", "engagement-cnt_1", "--type", "EngagementRecorded",
                                     stdin: engagement("cnt_1")).status == 0)
        let conflict = try dir.smartcontent("append", "--stream", "engagement-cnt_1", "--type", "EngagementRecorded",
                                            "--expected-version", "noStream", stdin: engagement("cnt_1"))
        #expect(conflict.status == 3)
        #expect(conflict.stderr.contains("wrong expected version"))
        let exact = try dir.smartcontent("append", "--stream", "engagement-cnt_1", "--type", "EngagementRecorded",
                                         "--expected-version", "7", stdin: engagement("cnt_1"))
        #expect(exact.status == 3)
        #expect(try dir.smartcontent("replay").lines.count == 1)
    }

    @Test func reappendingAnIDIsIdempotent() throws {
        let dir = DataDirectory()
        let id = "0b6f3c52-3f7e-4ad1-9a55-0d3f1c2b9e10"
        let args = ["append", "--stream", "engagement-cnt_1", "--type", "EngagementRecorded", "--id", id]
        let first = try dir.run(product("smartcontent"), args + ["--data", dir.store], stdin: engagement("cnt_1", value: "1"))
        let again = try dir.run(product("smartcontent"), args + ["--data", dir.store], stdin: engagement("cnt_1", value: "1"))
        #expect(try first.json()["position"] == again.json()["position"])
        #expect(try again.json()["alreadyPresent"] == .bool(true))
        let different = try dir.run(product("smartcontent"), args + ["--data", dir.store], stdin: engagement("cnt_1", value: "2"))
        #expect(different.status == 3)
        #expect(different.stderr.contains("different payload"))
    }

    @Test func appendChecksThePayloadAgainstTheCatalog() throws {
        let dir = DataDirectory()
        let cases: [([String], String, String)] = [
            (["--stream", "x-1", "--type", "Frobnicated"], "{}", "unknown event type"),
            (["--stream", "engagement-cnt_1", "--type", "EngagementRecorded"], #"{"contentId":"cnt_1"}"#, "kind"),
            (["--stream", "engagement-cnt_2", "--type", "EngagementRecorded"], engagement("cnt_1"), "belongs to stream"),
            (["--stream", "engagement-cnt_1", "--type", "EngagementRecorded"], "not json", "payload"),
        ]
        for (arguments, input, reason) in cases {
            let result = try dir.run(product("smartcontent"), ["append"] + arguments + ["--data", dir.store], stdin: input)
            #expect(result.status == 4, "\(arguments)")
            #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
        }
    }

    @Test func theToolNamesWhatItRefusesAndSaysItsVersion() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("import", dir.file("a.jsonl", RebuildCommandTests.lines(march: false).joined(separator: "\n")))
            .status == 0)
        for (arguments, value) in [(["replay", "--type", "Nope"], "Nope"), (["replay", "--stream", "contnet-"], "contnet-"),
                                   (["replay", "--actor", "bob smith"], "bob smith")] {
            let refused = try dir.run(product("smartcontent"), arguments + ["--data", dir.store])
            #expect(refused.status == 2 && refused.stderr.contains("'\(value)'"), "\(arguments): \(refused.stderr)")
        }
        // Prefixes of real streams, real types and actors still work.
        for arguments in [["replay", "--stream", "cont"], ["replay", "--stream", "content-"], ["replay", "--type", "ContentCreated"],
                          ["replay", "--actor", "system"], ["replay", "--stream", "recommendations"]] {
            #expect(try dir.run(product("smartcontent"), arguments + ["--data", dir.store]).status == 0, "\(arguments)")
        }
        // Position 0 is before the first event: from there, replay starts at the beginning.
        let everything = try dir.smartcontent("replay").lines.count
        for (arguments, count) in [(["--from", "0", "--to", "0"], 0), (["--from", "0"], everything), (["--from", "0", "--limit", "1"], 1)] {
            let replayed = try dir.run(product("smartcontent"), ["replay"] + arguments + ["--data", dir.store])
            #expect(replayed.status == 0, "\(arguments): \(replayed.stderr)")
            #expect(replayed.stdout.split(separator: "\n").count == count, "\(arguments)")
        }
        let version = try dir.run(product("smartcontent"), ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.split(separator: ".").count == 3, "\(version.stdout)")
        // Help speaks of what a user has, not of a design document they do not.
        for command in ["append", "import", "replay", "rebuild", "gdpr", "serve"] {
            let help = try dir.run(product("smartcontent"), ["help", command])
            #expect(!help.stdout.contains("DESIGN"), "\(command)")
        }
        #expect(try dir.run(product("smartcontent"), ["help", "append"]).stdout.contains("--durability"))
        #expect(!(try dir.run(product("smartcontent"), ["help", "replay"]).stdout.contains("--durability")))
    }

    @Test func badUsageExitsWith2AndSaysWhy() throws {
        let dir = DataDirectory()
        let cases: [[String]] = [
            ["replay", "--bogus"],
            ["append", "--stream", "s"],
            ["append", "--stream", "s", "--type", "T", "--expected-version", "soon"],
            ["append", "--stream", "s", "--type", "T", "--id", "not-a-uuid"],
            ["replay", "--from", "10", "--to", "5"],
            ["replay", "--since", "yesterday"],
            ["replay", "--durability", "maybe"],
            ["frobnicate"],
            // Filters nothing can match are typos, not empty answers.
            ["replay", "--type", "Nope"],
            ["replay", "--stream", "contnet-"],
            ["replay", "--actor", "bob smith"],
            // Only commands that append take --durability.
            ["replay", "--durability", "sync"],
            ["query", "content", "--durability", "nosync"],
            ["verify", "--durability", "sync"],
        ]
        for arguments in cases {
            let result = try dir.run(product("smartcontent"), arguments + ["--data", dir.store])
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.isEmpty, "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.store), "bad usage must not create a store")
    }

    @Test func aMissingStoreIsReportedNotCreated() throws {
        let dir = DataDirectory()
        for command in ["replay", "verify", "stats"] {
            let result = try dir.smartcontent(command)
            #expect(result.status == 5, "\(command)")
            #expect(result.stderr.contains("no SmartContent store"), "\(command): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.store))
    }

    @Test func theDataDirectoryComesFromTheEnvironmentToo() throws {
        let dir = DataDirectory()
        let input = dir.file("event.json", engagement("cnt_1"))
        let process = try Child(product("smartcontent"), ["append", "--stream", "engagement-cnt_1", "--type", "EngagementRecorded"],
                                environment: ["SMARTCONTENT_DATA": dir.store], stdin: input)
        awaitExit(process, "smartcontent append")
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: dir.store + "/log/data.mdb"))
    }

    @Test func importIsAllOrNothingForABadFileAndNamesTheLine() throws {
        let dir = DataDirectory()
        let file = dir.file("bad.jsonl", [
            engagementLine("cnt_1", n: 1), engagementLine("cnt_2", n: 2),
            #"{"stream":"engagement-cnt_3","type":"EngagementRecorded","data":"not an object"}"#,
            engagementLine("cnt_4", n: 4),
        ].joined(separator: "\n"))
        let result = try dir.smartcontent("import", file)
        #expect(result.status == 4)
        #expect(result.stderr.contains("line 3"), "\(result.stderr)")
        #expect(result.stderr.contains("data"))
        #expect(!FileManager.default.fileExists(atPath: dir.store), "a bad first import leaves no store behind")

        let good = #""kind":"view","occurredAt":"2026-02-01T00:00:00Z""#
        for (line, reason) in [(#"{"stream":"engagement-cnt_1","type":"EngagementRecorded","data":{"contentId":"cnt_1",\#(good)},"extra":1}"#, "extra"),
                               (#"{"stream":"engagement-cnt_1","type":"EngagementRecorded","data":{"contentId":"cnt_1",\#(good)},"id":"nope"}"#, "id"),
                               (#"{"stream":"","type":"EngagementRecorded","data":{}}"#, "stream"),
                               (#"{"stream":"engagement-cnt_1","type":"EngagementRecorded","data":{"contentId":"cnt_1",\#(good)},"recordedAt":"2026-13-01T00:00:00Z"}"#, "recordedAt"),
                               (#"{"stream":"engagement-cnt_1","type":"EngagementRecorded","data":{"contentId":"cnt_1",\#(good)},"expectedVersion":-1}"#, "expectedVersion"),
                               (#"{"stream":"engagement-cnt_1","type":"EngagementRecorded","data":{}"#, "malformed JSON"),
                               (#"{"stream":"s-1","type":"Unheard","data":{}}"#, "unknown event type"),
                               (#"{"stream":"engagement-cnt_1","type":"EngagementRecorded","data":{"contentId":"cnt_1","kind":"stare","occurredAt":"2026-02-01T00:00:00Z"}}"#, "kind"),
                               (#"{"stream":"engagement-cnt_9","type":"EngagementRecorded","data":{"contentId":"cnt_1",\#(good)}}"#, "belongs to stream")] {
            let bad = try dir.smartcontent("import", "-", stdin: line)
            #expect(bad.status == 4, "\(line)")
            #expect(bad.stderr.contains("line 1") && bad.stderr.contains(reason), "\(line): \(bad.stderr)")
        }
        let missing = try dir.smartcontent("import", dir.path + "/nope.jsonl")
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("cannot open"))
    }

    @Test func aConflictStopsTheImportThoughLaterChunksWereQueued() throws {
        let dir = DataDirectory()
        // Two chunks (16,300 lines, then 3,700), in batches of 100; line 150 expects a
        // version its stream does not have, which only the append can tell.
        let lines = (1...20_000).map { n in
            n == 150
                ? #"{"stream":"engagement-cnt_x","type":"EngagementRecorded","expectedVersion":5,"data":{"contentId":"cnt_x","kind":"view","occurredAt":"2026-02-15T10:30:00Z"}}"#
                : engagementLine("cnt_\(n % 40)", n: n)
        }
        let file = dir.file("conflict.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try dir.smartcontent("import", "--batch-size", "100", file)
        #expect(result.status != 0)
        #expect(result.stderr.contains("lines 101–200"), "\(result.stderr)")
        #expect(result.stderr.contains("100 events imported before this batch"), "\(result.stderr)")
        #expect(try dir.smartcontent("stats").json()["events"] == .number("100"))
    }

    @Test func importingTwiceAppendsOnceAndReplayFeedsImport() throws {
        let dir = DataDirectory()
        var lines: [String] = []
        for n in 0..<50 {
            let id = String(format: "00000000-0000-4000-8000-%012d", n)
            let day = String(format: "%02d", n % 28 + 1)
            let line = n % 2 == 0
                ? #"{"stream":"engagement-cnt_\#(n % 7)","type":"EngagementRecorded","id":"\#(id)","recordedAt":"2026-02-\#(day)T10:00:00Z","metadata":{"actor":"usr_\#(n % 3)"},"data":{"contentId":"cnt_\#(n % 7)","kind":"view","occurredAt":"2026-02-\#(day)T09:00:00Z","value":\#(n)}}"#
                : #"{"stream":"subject-reader_\#(n % 7)","type":"SubjectErased","id":"\#(id)","recordedAt":"2026-02-\#(day)T10:00:00Z","metadata":{"actor":"usr_\#(n % 3)"},"data":{"subjectId":"reader_\#(n % 7)","erasedBy":"usr_admin"}}"#
            lines.append(line)
        }
        let file = dir.file("events.jsonl", lines.joined(separator: "\n") + "\n")
        let first = try dir.smartcontent("import", file)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try first.json()["imported"] == .number("50"))
        #expect(try first.json()["lastPosition"] == .number("50"))
        let second = try dir.smartcontent("import", file)
        #expect(try second.json()["imported"] == .number("0"))
        #expect(try second.json()["skipped"] == .number("50"))

        let copy = DataDirectory()
        let dump = try dir.smartcontent("replay").stdout
        let imported = try copy.smartcontent("import", "-", stdin: dump)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try copy.smartcontent("replay").stdout == dump)
        // A file goes through the spool of checked lines, which leaves nothing behind.
        let fromFile = DataDirectory()
        #expect(try fromFile.smartcontent("import", fromFile.file("dump.jsonl", dump)).status == 0)
        #expect(try fromFile.smartcontent("replay").stdout == dump)
        let left = try FileManager.default.contentsOfDirectory(atPath: fromFile.store)
        #expect(!left.contains { $0.contains("spool") }, "\(left)")

        // Filters.
        #expect(try dir.smartcontent("replay", "--from", "10", "--to", "12").lines.count == 3)
        #expect(try dir.smartcontent("replay", "--type", "EngagementRecorded").lines.count == 25)
        #expect(try dir.smartcontent("replay", "--type", "EngagementRecorded", "--type", "SubjectErased", "--limit", "7").lines.count == 7)
        #expect(try dir.smartcontent("replay", "--stream", "engagement-cnt_3").lines.count == 3)
        #expect(try dir.smartcontent("replay", "--actor", "usr_1").lines.count == 17)
        let february = try dir.smartcontent("replay", "--since", "2026-02-05", "--until", "2026-02-07T00:00:00Z")
        #expect(february.lines.count == 4)
        #expect(try dir.smartcontent("stats").json()["events"] == .number("50"))
    }

    @Test func aStoreWhoseWriterDiedBeforeCreatingItsTablesReadsAsEmpty() throws {
        let dir = DataDirectory()
        try FileManager.default.createDirectory(atPath: dir.store, withIntermediateDirectories: true)
        // What a writer killed right after opening the environment leaves behind.
        _ = try LMDBEnvironment(directory: dir.store + "/log")
        let verified = try dir.smartcontent("verify")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(try verified.json()["events"] == .number("0"))
        #expect(try dir.smartcontent("replay").stdout.isEmpty)
    }

    @Test func verifyPassesOnAHealthyStore() throws {
        let dir = DataDirectory()
        _ = try dir.smartcontent("append", "--stream", "engagement-cnt_1", "--type", "EngagementRecorded", stdin: engagement("cnt_1"))
        let result = try dir.smartcontent("verify")
        #expect(result.status == 0)
        #expect(try result.json()["problemCount"] == .number("0"))
    }

    @Test func corruptedBytesAreReportedByVerifyNotACrash() async throws {
        let dir = DataDirectory()
        var lines: [String] = []
        for n in 0..<200 {
            let marker = n == 137 ? "CORRUPT-ME-PLEASE" : "fine"
            lines.append(#"{"stream":"engagement-cnt_\#(n % 5)","type":"EngagementRecorded","data":{"contentId":"cnt_\#(n % 5)","kind":"view","occurredAt":"2026-02-01T00:00:00Z","channel":"\#(marker)"}}"#)
        }
        #expect(try dir.smartcontent("import", dir.file("e.jsonl", lines.joined(separator: "\n"))).status == 0)
        let dataFile = dir.store + "/log/data.mdb"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dataFile)))
        let marker = Array("CORRUPT-ME-PLEASE".utf8)
        let offset = try #require((0...(bytes.count - marker.count)).first { bytes[$0..<$0 + marker.count].elementsEqual(marker) })
        bytes[offset + 3] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: dataFile))

        let verified = try dir.smartcontent("verify")
        #expect(verified.status == 1)
        #expect(verified.stderr.contains("position 138"), "\(verified.stderr)")
        #expect(verified.stderr.contains("checksum"))
        #expect(try verified.json()["problemCount"] == .number("1"))

        let replayed = try dir.smartcontent("replay")
        #expect(replayed.status == 5)
        #expect(replayed.stderr.contains("corrupt record at position 138"))
        #expect(replayed.lines.count == 137, "the events before the damage are still readable")
        #expect(replayed.lines.enumerated().allSatisfy { $1.hasPrefix(#"{"position":\#($0 + 1),"#) })
        // Replay reads stretches of the log on every core; from 100 on the damage falls in
        // the first one, and nothing after it is printed either.
        let fromHundred = try dir.smartcontent("replay", "--from", "100")
        #expect(fromHundred.status == 5)
        #expect(fromHundred.lines.count == 38)
        #expect(fromHundred.lines.enumerated().allSatisfy { $1.hasPrefix(#"{"position":\#($0 + 100),"#) })

        let log = try EventLog(directory: dir.store + "/log")
        #expect(throws: EventLogError.self) { try log.withSnapshot { try $0.event(at: 138) } }
        #expect(try log.withSnapshot { try $0.event(at: 139)?.position } == 139)
        await log.close()
    }
}

/// An EngagementRecorded payload.
func engagement(_ content: String, value: String? = nil) -> String {
    #"{"contentId":"\#(content)","kind":"view","occurredAt":"2026-02-15T10:30:00Z"\#(value.map { #","value":\#($0)"# } ?? "")}"#
}

/// An import line of EngagementRecorded.
func engagementLine(_ content: String, n: Int) -> String {
    #"{"stream":"engagement-\#(content)","type":"EngagementRecorded","data":{"contentId":"\#(content)","kind":"view","occurredAt":"2026-02-15T10:30:00Z","value":\#(n)}}"#
}

@Suite(.timeLimit(.minutes(10))) struct QueryCommandTests {
    @Test func queryAnswersFromTheProjectionsAsJSON() throws {
        let dir = DataDirectory()
        let lines = [
            #"{"stream":"user-usr_1","type":"UserRegistered","data":{"userId":"usr_1","workspaceId":"wsp_1","email":"a@example.com","name":"A","passwordHash":"h"},"metadata":{"actor":"usr_1"}}"#,
            #"{"stream":"workspace-wsp_1","type":"WorkspaceCreated","data":{"workspaceId":"wsp_1","name":"W","ownerId":"usr_1"},"metadata":{"actor":"usr_1"}}"#,
            #"{"stream":"workspace-wsp_1","type":"MemberAdded","data":{"workspaceId":"wsp_1","userId":"usr_1","role":"admin","addedBy":"usr_1"},"metadata":{"actor":"usr_1"}}"#,
            #"{"stream":"content-cnt_1","type":"ContentCreated","data":{"contentId":"cnt_1","workspaceId":"wsp_1","authorId":"usr_1","title":"Hello","body":"Body","contentType":"blog_post","keywords":["AI"]},"metadata":{"actor":"usr_1"}}"#,
            #"{"stream":"engagement-cnt_1","type":"EngagementRecorded","data":{"contentId":"cnt_1","kind":"view","userId":"r1","occurredAt":"2026-02-15T10:00:00Z"}}"#,
            #"{"stream":"engagement-cnt_1","type":"EngagementRecorded","data":{"contentId":"cnt_1","kind":"conversion","occurredAt":"2026-02-16T10:00:00Z","value":9.99}}"#,
        ]
        #expect(try dir.smartcontent("import", dir.file("e.jsonl", lines.joined(separator: "\n"))).status == 0)

        let list = try dir.smartcontent("query", "content", "--workspace", "wsp_1").json()
        #expect(list["items"]?.arrayCount == 1)
        #expect(list["nextCursor"] == .null)
        let one = try dir.smartcontent("query", "content", "--workspace", "wsp_1", "--id", "cnt_1").json()
        #expect(one["title"] == .string("Hello"))
        #expect(one["status"] == .string("draft"))
        #expect(one["version"] == .number("1"))
        let elsewhere = try dir.smartcontent("query", "content", "--workspace", "wsp_2", "--id", "cnt_1")
        #expect(elsewhere.status == 7, "another workspace's content is not found")

        let analytics = try dir.smartcontent("query", "analytics", "--id", "cnt_1", "--from", "2026-02-15", "--to", "2026-02-16").json()
        #expect(analytics["totals"]?["views"] == .number("1"))
        #expect(analytics["totals"]?["conversions"] == .number("1"))
        #expect(analytics["totals"]?["conversionValue"] == .number("9.99"))
        #expect(analytics["daily"]?.arrayCount == 2)

        let audit = try dir.smartcontent("query", "audit", "--entity", "content-cnt_1").json()
        #expect(audit.arrayCount == 1)
        let members = try dir.smartcontent("query", "users", "--workspace", "wsp_1").json()
        #expect(members.arrayCount == 1)

        let projections = try dir.smartcontent("projections").json()
        #expect(projections.arrayCount == 9)
        guard case .array(let entries) = projections else { return }
        #expect(entries.allSatisfy { $0["checkpoint"] == .number("6") && $0["lag"] == .number("0") && $0["status"] == .string("live") })

        #expect(try dir.smartcontent("query", "nonsense").status == 2)
        #expect(try dir.smartcontent("query", "content").status == 2)
        #expect(try dir.smartcontent("query", "analytics", "--id", "cnt_1", "--from", "yesterday").status == 2)
    }

    /// The API's rule: without `from`, the 30 days ending at `to`. The tool used to count
    /// them back from today, so a past `--to` alone was refused as a range ending before it
    /// began.
    @Test func aPastDayAloneAsksForTheThirtyDaysEndingThere() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("import", dir.file("e.jsonl", engagementLine("cnt_1", n: 1))).status == 0)
        let analytics = try dir.smartcontent("query", "analytics", "--id", "cnt_1", "--to", "2026-02-20")
        #expect(analytics.status == 0, "\(analytics.stderr)")
        guard case .array(let daily) = try analytics.json()["daily"] else { Issue.record("no daily series"); return }
        #expect(daily.count == 30)
        #expect(daily.first?["date"] == .string("2026-01-22"))
        #expect(daily.last?["date"] == .string("2026-02-20"))
        let reversed = try dir.smartcontent("query", "analytics", "--id", "cnt_1", "--from", "2026-02-20", "--to", "2026-02-01")
        #expect(reversed.status == 2)
        #expect(reversed.stderr.contains("--from must not be after --to"))
        let long = try dir.smartcontent("query", "analytics", "--id", "cnt_1", "--from", "2025-01-01", "--to", "2026-02-01")
        #expect(long.status == 2)
        #expect(long.stderr.contains("at most 366 days"))
    }
}

extension JSONValue {
    var arrayCount: Int? {
        if case .array(let values) = self { return values.count }
        return nil
    }
}

@Suite(.timeLimit(.minutes(10))) struct RebuildCommandTests {
    /// History in two parts: February, then March (updates, a deletion, more engagement).
    static func lines(march: Bool) -> [String] {
        let month = march ? "03" : "02"
        var lines: [String] = []
        if !march {
            lines.append(#"{"stream":"user-usr_1","type":"UserRegistered","recordedAt":"2026-02-01T08:00:00Z","data":{"userId":"usr_1","workspaceId":"wsp_1","email":"a@example.com","name":"A","passwordHash":"h"},"metadata":{"actor":"usr_1"}}"#)
            lines.append(#"{"stream":"workspace-wsp_1","type":"WorkspaceCreated","recordedAt":"2026-02-01T08:00:00Z","data":{"workspaceId":"wsp_1","name":"W","ownerId":"usr_1"},"metadata":{"actor":"usr_1"}}"#)
            for n in 0..<5 {
                lines.append(#"{"stream":"content-cnt_\#(n)","type":"ContentCreated","recordedAt":"2026-02-0\#(n + 1)T09:00:00Z","data":{"contentId":"cnt_\#(n)","workspaceId":"wsp_1","authorId":"usr_1","title":"T\#(n)","body":"B","contentType":"article"},"metadata":{"actor":"usr_1"}}"#)
            }
        } else {
            lines.append(#"{"stream":"content-cnt_1","type":"ContentUpdated","recordedAt":"2026-03-02T09:00:00Z","data":{"contentId":"cnt_1","version":2,"title":"New","body":"B2","contentType":"article","keywords":[],"changes":"c","editedBy":"usr_1"},"metadata":{"actor":"usr_1"}}"#)
            lines.append(#"{"stream":"content-cnt_2","type":"ContentDeleted","recordedAt":"2026-03-03T09:00:00Z","data":{"contentId":"cnt_2","deletedBy":"usr_1"},"metadata":{"actor":"usr_1"}}"#)
        }
        for n in 0..<40 {
            lines.append(#"{"stream":"engagement-cnt_\#(n % 5)","type":"EngagementRecorded","recordedAt":"2026-\#(month)-10T10:00:00Z","data":{"contentId":"cnt_\#(n % 5)","kind":"view","occurredAt":"2026-\#(month)-10T10:00:00Z"}}"#)
        }
        return lines
    }

    static let questions: [[String]] = [
        ["query", "content", "--workspace", "wsp_1", "--limit", "100"],
        ["query", "content", "--workspace", "wsp_1", "--id", "cnt_1"],
        ["query", "dashboard", "--workspace", "wsp_1", "--from", "2026-02-01", "--to", "2026-03-31"],
        ["query", "audit", "--subject", "usr_1"],
    ]

    func answers(_ dir: DataDirectory, data: String) throws -> [String] {
        try Self.questions.map { question in
            let result = try dir.run(product("smartcontent"), question + ["--data", data])
            #expect(result.status == 0, "\(question): \(result.stderr)")
            return result.stdout
        }
    }

    @Test func rebuildingLostReadModelsGivesTheSameAnswers() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("import", dir.file("a.jsonl", (Self.lines(march: false) + Self.lines(march: true)).joined(separator: "\n"))).status == 0)
        let before = try answers(dir, data: dir.store)
        try FileManager.default.removeItem(atPath: dir.store + "/projections")
        let rebuilt = try dir.smartcontent("rebuild")
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(try rebuilt.json()["projections"]?.arrayCount == 9)
        #expect(try answers(dir, data: dir.store) == before)
        // One projection, in place, over existing state.
        #expect(try dir.smartcontent("rebuild", "--projection", "analytics").status == 0)
        #expect(try answers(dir, data: dir.store) == before)
    }

    @Test func aPointInTimeRebuildAnswersAsTheStoreDidThen() throws {
        let dir = DataDirectory()
        let february = try dir.smartcontent("import", dir.file("feb.jsonl", Self.lines(march: false).joined(separator: "\n")))
        let position = try #require(try february.json()["lastPosition"]?.integerValue)
        let then = try answers(dir, data: dir.store)
        #expect(try dir.smartcontent("import", dir.file("mar.jsonl", Self.lines(march: true).joined(separator: "\n"))).status == 0)
        #expect(try answers(dir, data: dir.store) != then)

        let byPosition = dir.path + "/by-position"
        #expect(try dir.smartcontent("rebuild", "--until", "\(position)", "--into", byPosition).status == 0)
        #expect(try answers(dir, data: byPosition) == then)
        let byTime = dir.path + "/by-time"
        let rebuilt = try dir.smartcontent("rebuild", "--until", "2026-02-28T00:00:00Z", "--into", byTime)
        #expect(try rebuilt.json()["position"] == .number("\(position)"))
        #expect(try answers(dir, data: byTime) == then)
        #expect(try dir.smartcontent("verify").status == 0)
        #expect(try dir.run(product("smartcontent"), ["verify", "--data", byTime]).status == 0)
    }

    @Test func rebuildRefusesWhatWouldHurt() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("import", dir.file("a.jsonl", Self.lines(march: false).joined(separator: "\n"))).status == 0)
        let notEmpty = dir.path + "/full"
        try FileManager.default.createDirectory(atPath: notEmpty, withIntermediateDirectories: true)
        _ = dir.file("full/x", "x")
        // Bad usage exits 2; a target that is not empty is refused (6), as backup and restore do.
        for (arguments, status) in [(["rebuild", "--until", "3"], 2), (["rebuild", "--until", "3", "--into", notEmpty], 6),
                                    (["rebuild", "--projection", "nope"], 2), (["rebuild", "--until", "soon", "--into", dir.path + "/x"], 2)] {
            let result = try dir.smartcontent(arguments[0], arguments[1], arguments[2], arguments.count > 3 ? arguments[3] : "--durability",
                                              arguments.count > 4 ? arguments[4] : "sync")
            #expect(result.status == Int32(status), "\(arguments): \(result.stderr)")
        }
    }
}

@Suite(.timeLimit(.minutes(10))) struct VerifyProjectionTests {
    /// Read models folded from events the log no longer holds make verify fail.
    @Test func verifyReportsProjectionsAheadOfTheLog() async throws {
        let dir = DataDirectory()
        let longer = dir.path + "/longer"
        var configuration = SmartContentEngine.Configuration()
        configuration.runsProjections = false
        configuration.durability = .noSync
        let events = (0..<20).map { n in
            EngagementRecorded(contentId: "cnt_1", kind: .view, occurredAt: Instant(millisecondsSince1970: Int64(n))).event
        }
        do {
            let engine = try SmartContentEngine(directory: longer, configuration: configuration)
            try await engine.record(events)
            try engine.projections.catchUp()
            await engine.close()
            let shorter = try SmartContentEngine(directory: dir.store, configuration: configuration)
            try await shorter.record(Array(events.prefix(10)))
            await shorter.close()
        }
        #expect(try dir.smartcontent("verify").status == 0)
        try FileManager.default.removeItem(atPath: dir.store + "/projections")
        try FileManager.default.copyItem(atPath: longer + "/projections", toPath: dir.store + "/projections")
        let verified = try dir.smartcontent("verify")
        #expect(verified.status == 1)
        #expect(verified.stderr.contains("beyond the log"), "\(verified.stderr)")
        #expect(try dir.smartcontent("rebuild").status == 0)
        #expect(try dir.smartcontent("verify").status == 0)
    }
}
