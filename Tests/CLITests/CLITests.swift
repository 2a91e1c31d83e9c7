import EventLog
import Foundation
import Testing

@Suite struct CLITests {
    @Test func appendThenReplayRoundTripsTheWireFormat() throws {
        let dir = DataDirectory()
        let appended = try dir.smartcontent(
            "append", "--stream", "content-cnt_1", "--type", "ContentCreated", "--expected-version", "noStream",
            "--actor", "usr_1", "--metadata", #"{"workspaceId":"wsp_1"}"#,
            "--id", "0b6f3c52-3f7e-4ad1-9a55-0d3f1c2b9e10", stdin: #"{"contentId":"cnt_1","title":"Hi","n":1.50,"ok":true}"#)
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
        // The payload comes back as it went in: key order, number text and booleans intact.
        #expect(line["data"]?.compactText == #"{"contentId":"cnt_1","title":"Hi","n":1.50,"ok":true}"#)
    }

    @Test func aConflictExitsWith3AndAppendsNothing() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("append", "--stream", "s", "--type", "T", stdin: "{}").status == 0)
        let conflict = try dir.smartcontent("append", "--stream", "s", "--type", "T", "--expected-version", "noStream", stdin: "{}")
        #expect(conflict.status == 3)
        #expect(conflict.stderr.contains("wrong expected version"))
        let exact = try dir.smartcontent("append", "--stream", "s", "--type", "T", "--expected-version", "7", stdin: "{}")
        #expect(exact.status == 3)
        #expect(try dir.smartcontent("replay").lines.count == 1)
    }

    @Test func reappendingAnIDIsIdempotent() throws {
        let dir = DataDirectory()
        let id = "0b6f3c52-3f7e-4ad1-9a55-0d3f1c2b9e10"
        let first = try dir.smartcontent("append", "--stream", "s", "--type", "T", "--id", id, stdin: #"{"a":1}"#)
        let again = try dir.smartcontent("append", "--stream", "s", "--type", "T", "--id", id, stdin: #"{"a":1}"#)
        #expect(try first.json()["position"] == again.json()["position"])
        #expect(try again.json()["alreadyPresent"] == .bool(true))
        let different = try dir.smartcontent("append", "--stream", "s", "--type", "T", "--id", id, stdin: #"{"a":2}"#)
        #expect(different.status == 3)
        #expect(different.stderr.contains("different payload"))
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
        ]
        for arguments in cases {
            let result = try dir.run(product("smartcontent"), arguments + ["--data", dir.store])
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.isEmpty, "\(arguments)")
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
        setenv("SMARTCONTENT_DATA_FOR_TEST", "1", 1)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: product("smartcontent"))
        process.arguments = ["append", "--stream", "s", "--type", "T"]
        process.environment = ["SMARTCONTENT_DATA": dir.store]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("{}".utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: dir.store + "/log/data.mdb"))
    }

    @Test func importIsAllOrNothingForABadFileAndNamesTheLine() throws {
        let dir = DataDirectory()
        let file = dir.file("bad.jsonl", """
            {"stream":"content-1","type":"ContentCreated","data":{"title":"a"}}
            {"stream":"content-2","type":"ContentCreated","data":{"title":"b"}}
            {"stream":"content-3","type":"ContentCreated","data":"not an object"}
            {"stream":"content-4","type":"ContentCreated","data":{}}
            """)
        let result = try dir.smartcontent("import", file)
        #expect(result.status == 4)
        #expect(result.stderr.contains("line 3"), "\(result.stderr)")
        #expect(result.stderr.contains("data"))
        #expect(try dir.smartcontent("stats").status == 5 || dir.smartcontent("replay").lines.isEmpty)

        for (line, reason) in [(#"{"stream":"s","type":"T","data":{},"extra":1}"#, "extra"),
                               (#"{"stream":"s","type":"T","data":{},"id":"nope"}"#, "id"),
                               (#"{"stream":"","type":"T","data":{}}"#, "stream"),
                               (#"{"stream":"s","type":"T","data":{},"recordedAt":"2026-13-01T00:00:00Z"}"#, "recordedAt"),
                               (#"{"stream":"s","type":"T","data":{},"expectedVersion":-1}"#, "expectedVersion"),
                               (#"{"stream":"s","type":"T","data":{}"#, "malformed JSON")] {
            let bad = try dir.smartcontent("import", "-", stdin: line)
            #expect(bad.status == 4, "\(line)")
            #expect(bad.stderr.contains("line 1") && bad.stderr.contains(reason), "\(line): \(bad.stderr)")
        }
        let missing = try dir.smartcontent("import", dir.path + "/nope.jsonl")
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("cannot open"))
    }

    @Test func importingTwiceAppendsOnceAndReplayFeedsImport() throws {
        let dir = DataDirectory()
        var lines: [String] = []
        for n in 0..<50 {
            let id = String(format: "00000000-0000-4000-8000-%012d", n)
            lines.append(#"{"stream":"content-\#(n % 7)","type":"\#(n % 2 == 0 ? "A" : "B")","id":"\#(id)","recordedAt":"2026-02-\#(String(format: "%02d", n % 28 + 1))T10:00:00Z","metadata":{"actor":"usr_\#(n % 3)"},"data":{"n":\#(n)}}"#)
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

        // Filters.
        #expect(try dir.smartcontent("replay", "--from", "10", "--to", "12").lines.count == 3)
        #expect(try dir.smartcontent("replay", "--type", "A").lines.count == 25)
        #expect(try dir.smartcontent("replay", "--type", "A", "--type", "B", "--limit", "7").lines.count == 7)
        #expect(try dir.smartcontent("replay", "--stream", "content-3").lines.count == 7)
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
        _ = try dir.smartcontent("append", "--stream", "s", "--type", "T", stdin: "{}")
        let result = try dir.smartcontent("verify")
        #expect(result.status == 0)
        #expect(try result.json()["problemCount"] == .number("0"))
    }

    @Test func corruptedBytesAreReportedByVerifyNotACrash() async throws {
        let dir = DataDirectory()
        var lines: [String] = []
        for n in 0..<200 {
            let marker = n == 137 ? "CORRUPT-ME-PLEASE" : "fine"
            lines.append(#"{"stream":"content-\#(n % 5)","type":"T","data":{"n":\#(n),"text":"\#(marker)"}}"#)
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

        let log = try EventLog(directory: dir.store + "/log")
        #expect(throws: EventLogError.self) { try log.withSnapshot { try $0.event(at: 138) } }
        #expect(try log.withSnapshot { try $0.event(at: 139)?.position } == 139)
        await log.close()
    }
}
