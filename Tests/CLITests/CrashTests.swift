import EventLog
import SmartContent
import SmartContentDomain
import SmartContentProjections
import Foundation
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(10))) struct CrashTests {
    /// Starts a writer process appending from 8 concurrent tasks, kills it with SIGKILL at a
    /// random moment, and checks that the store is intact and holds every event the writer
    /// acknowledged. Twenty times on the same store.
    @Test func killingAWriterLosesNoAcknowledgedEvent() async throws {
        let dir = DataDirectory()
        let logPath = dir.store + "/log"
        try FileManager.default.createDirectory(atPath: dir.store, withIntermediateDirectories: true)
        let seed = TestSeed()
        var generator = seed.generator
        var acknowledged: [(position: UInt64, id: EventID, stream: String, version: UInt64)] = []
        var killsAfterAcks = 0

        for round in 0..<20 {
            let outPath = dir.path + "/acks-\(round)"
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            let process = try Child(product("CrashWriter"), [logPath, "8"], stdout: outPath)
            // Some rounds die at start-up; the others once appends are acknowledged, at a
            // random moment after (waiting for the first ack keeps a slow machine honest).
            if round >= 2 {
                let deadline = ContinuousClock.now + .seconds(30)
                while (try String(contentsOfFile: outPath, encoding: .utf8)).isEmpty, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            let delay = round < 2 ? UInt64.random(in: 0...20, using: &generator) : UInt64.random(in: 0...250, using: &generator)
            try await Task.sleep(for: .milliseconds(delay))
            kill(process.processIdentifier, SIGKILL)
            awaitExit(process, "a killed child", within: .seconds(60))
            #expect(process.endedBySignal, "round \(round): the writer must die by the signal; \(seed)")

            let output = try String(contentsOfFile: outPath, encoding: .utf8)
            var roundAcks = 0
            for line in output.split(separator: "\n") {
                let fields = line.split(separator: " ")
                // A line cut by the kill is not an acknowledgement.
                guard fields.count == 5, fields[0] == "ack", let position = UInt64(fields[1]), let id = EventID(fields[2]),
                      let version = UInt64(fields[4]) else { continue }
                acknowledged.append((position, id, String(fields[3]), version))
                roundAcks += 1
            }
            if roundAcks > 0 { killsAfterAcks += 1 }

            // Killed before it even created the store: nothing can have been acknowledged.
            guard FileManager.default.fileExists(atPath: logPath + "/data.mdb") else {
                #expect(acknowledged.isEmpty, "round \(round): acknowledged events but no store; \(seed)")
                continue
            }
            let verify = try dir.smartcontent("verify")
            #expect(verify.status == 0, "round \(round): \(verify.stderr); \(seed)")

            let log = try EventLog(directory: logPath)
            try log.withSnapshot { snapshot in
                for ack in acknowledged {
                    let event = try #require(try snapshot.event(id: ack.id), "round \(round): acknowledged \(ack.id) is missing")
                    #expect(event.position == ack.position, "\(seed)")
                    #expect(event.stream.rawValue == ack.stream, "\(seed)")
                    #expect(event.version == ack.version, "\(seed)")
                    #expect(String(decoding: event.payloadBytes, as: UTF8.self).contains(ack.id.description), "\(seed)")
                }
            }
            await log.close()
        }
        #expect(killsAfterAcks >= 10, "most kills must land while the writer is acknowledging appends; \(seed)")
        #expect(acknowledged.count > 100, "\(seed)")
    }
}

@Suite(.timeLimit(.minutes(10))) struct ProjectionCrashTests {
    /// Kills a process folding the projections at random moments, five times; the store
    /// then finishes folding and must equal a rebuild: no batch lost, none counted twice.
    @Test func killingAFoldingProcessLosesNothingAndCountsNothingTwice() async throws {
        let dir = DataDirectory()
        let configuration = foldingConfiguration
        // 1 content created, then 30,000 views: 27,000 of cnt_1, 3,000 of cnt_2.
        let last = try await storeOfViews(in: dir, count: 30_000) { $0 % 10 == 0 ? "cnt_2" : "cnt_1" }

        let seed = TestSeed()
        var generator = seed.generator
        var checkpoints: [UInt64] = []
        var outputs: [String] = []
        for round in 0..<5 {
            let outPath = dir.path + "/worker-\(round)"
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            // 200 batches with a 25 ms pause after each: seconds of folding, so that a kill
            // lands mid-way even when this (busy) process notices the first batch late;
            // without the pause a fast worker finished before any kill (a run of the full
            // suite saw [0, 0, 0, 0, 0]).
            let process = try Child(product("ProjectionWorker"), [dir.store, "150", "25"], stdout: outPath,
                                    stderr: outPath + ".err")
            // Kill once it has folded something (or finished), however slow it is to start.
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                let output = try String(contentsOfFile: outPath, encoding: .utf8)
                if output.contains("checkpoint") || output.contains("done") { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            // The first kill lands as soon as something is folded, so at least one lands
            // mid-way however fast the machine; the others at random moments.
            if round > 0 { try await Task.sleep(for: .milliseconds(UInt64.random(in: 0...150, using: &generator))) }
            kill(process.processIdentifier, SIGKILL)
            awaitExit(process, "a killed child", within: .seconds(60))
            let lines = try String(contentsOfFile: outPath, encoding: .utf8).split(separator: "\n")
            checkpoints.append(lines.last.flatMap { UInt64($0.split(separator: " ").last ?? "") } ?? 0)
            outputs.append("round \(round): \(lines.suffix(3).joined(separator: " | ")) "
                + ((try? String(contentsOfFile: outPath + ".err", encoding: .utf8)) ?? ""))
        }
        #expect(checkpoints.contains { $0 > 0 && $0 < last }, "some kill must land mid-way: \(checkpoints)\n\(outputs.joined(separator: "\n")); \(seed)")

        let reopened = try SmartContentEngine(directory: dir.store, configuration: configuration)
        try reopened.projections.catchUp()
        let reference = try await reopened.rebuild(into: dir.path + "/reference")
        for name in reopened.projections.names {
            #expect(try reopened.projections.store(named: name).canonicalDump() == reference.store(named: name).canonicalDump(),
                    "projection \(name) differs from its rebuild after the kills; \(seed)")
        }
        let views = try reopened.projections.store(named: "analytics").read { reader in
            try AnalyticsProjection.Queries(reader).allTime("cnt_1").views
        }
        #expect(views == 27_000 * 1000, "\(seed)")
        await reopened.close()
    }
}

@Suite(.timeLimit(.minutes(10))) struct ConcurrentFoldTests {
    /// Two processes folding the same projection stores at once (a CLI query beside a
    /// server) must not count any batch twice.
    @Test func twoProcessesFoldingOneStoreCountEverythingOnce() async throws {
        let dir = DataDirectory()
        let configuration = foldingConfiguration
        _ = try await storeOfViews(in: dir, count: 20_000) { _ in "cnt_1" }

        // This process keeps the stores open but folds nothing: its reads must see what
        // the workers fold.
        let reader = try SmartContentEngine(directory: dir.store, configuration: configuration)
        let last = try reader.log.lastPosition()
        let workers = try (0..<2).map { _ in try Child(product("ProjectionWorker"), [dir.store, "97"], stderr: nil) }
        let folded = try await reader.read(AnalyticsProjection.self, atLeast: last) { try $0.allTime("cnt_1").views }
        #expect(folded == 20_000 * 1000)
        for worker in workers { awaitExit(worker, "ProjectionWorker") }
        #expect(workers.allSatisfy { $0.terminationStatus == 0 })
        await reader.close()

        let reopened = try SmartContentEngine(directory: dir.store, configuration: configuration)
        let views = try reopened.projections.store(named: "analytics").read { reader in
            try AnalyticsProjection.Queries(reader).allTime("cnt_1").views
        }
        #expect(views == 20_000 * 1000)
        let reference = try await reopened.rebuild(into: dir.path + "/reference")
        for name in reopened.projections.names {
            #expect(try reopened.projections.store(named: name).canonicalDump() == reference.store(named: name).canonicalDump(),
                    "projection \(name)")
        }
        await reopened.close()
    }
}

/// The engine configuration of the folding tests: no background folding, no fsync.
let foldingConfiguration: SmartContentEngine.Configuration = {
    var configuration = SmartContentEngine.Configuration()
    configuration.runsProjections = false
    configuration.durability = .noSync
    return configuration
}()

/// A store with content cnt_1 and `count` views of the content `target(n)` gives; returns
/// the last position.
func storeOfViews(in dir: DataDirectory, count: Int, target: (Int) -> ContentID) async throws -> UInt64 {
    let engine = try SmartContentEngine(directory: dir.store, configuration: foldingConfiguration)
    var events: [DomainEvent] = [ContentCreated(contentId: "cnt_1", workspaceId: "wsp_1", authorId: "usr_1", title: "T",
                                                body: "B", contentType: .article).event]
    for n in 0..<count {
        events.append(EngagementRecorded(contentId: target(n), kind: .view, userId: ReaderID(rawValue: "r\(n % 300)"),
                                         occurredAt: Instant(millisecondsSince1970: 1_770_000_000_000 + Int64(n) * 60_000)).event)
    }
    for chunk in stride(from: 0, to: events.count, by: 2000) {
        try await engine.record(Array(events[chunk..<min(chunk + 2000, events.count)]), by: "usr_1")
    }
    let last = try engine.log.lastPosition()
    await engine.close()
    return last
}

@Suite(.timeLimit(.minutes(10))) struct BackupTests {
    /// A backup taken while a writer appends from 8 tasks restores into a store that
    /// verifies and holds every event up to the position the backup recorded.
    @Test func aBackupTakenUnderLoadRestoresEverythingItRecorded() async throws {
        let dir = DataDirectory()
        try FileManager.default.createDirectory(atPath: dir.store, withIntermediateDirectories: true)
        let acks = dir.path + "/acks"
        _ = FileManager.default.createFile(atPath: acks, contents: nil)
        let writer = try Child(product("CrashWriter"), [dir.store + "/log", "8"], stdout: acks, stderr: nil)
        // Back up only once the writer is well under way, however slow the machine.
        let deadline = ContinuousClock.now + .seconds(30)
        while (try String(contentsOfFile: acks, encoding: .utf8)).split(separator: "\n").count < 200,
              ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let backupPath = dir.path + "/backup"
        let backup = try dir.smartcontent("backup", "--to", backupPath)
        try await Task.sleep(for: .milliseconds(200))
        kill(writer.processIdentifier, SIGKILL)
        awaitExit(writer, "the killed writer", within: .seconds(60))
        #expect(backup.status == 0, "\(backup.stderr)")
        let recorded = try #require(try backup.json()["lastPosition"]?.integerValue)
        #expect(recorded > 0)

        let restored = dir.path + "/restored"
        let restore = try dir.run(product("smartcontent"), ["restore", "--from", backupPath, "--data", restored])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try dir.run(product("smartcontent"), ["verify", "--data", restored]).status == 0)
        let original = try dir.smartcontent("replay", "--to", "\(recorded)").stdout
        let copy = try dir.run(product("smartcontent"), ["replay", "--data", restored]).stdout
        #expect(copy == original)
        #expect(copy.split(separator: "\n").count == Int(recorded))
    }

    @Test func damagedBackupsAndOccupiedTargetsAreRefusedAndNothingChanges() throws {
        let dir = DataDirectory()
        #expect(try dir.smartcontent("append", "--stream", "engagement-cnt_1", "--type", "EngagementRecorded",
                                     stdin: engagement("cnt_1")).status == 0)
        let backupPath = dir.path + "/backup"
        #expect(try dir.smartcontent("backup", "--to", backupPath).status == 0)
        let again = try dir.smartcontent("backup", "--to", backupPath)
        #expect(again.status == 6)

        let occupied = try dir.smartcontent("restore", "--from", backupPath)
        #expect(occupied.status == 6)
        #expect(occupied.stderr.contains("not empty"))

        let missing = try dir.run(product("smartcontent"), ["restore", "--from", dir.path + "/nowhere", "--data", dir.path + "/r1"])
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("manifest"))

        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: backupPath + "/log/data.mdb")))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: backupPath + "/log/data.mdb"))
        let damaged = try dir.run(product("smartcontent"), ["restore", "--from", backupPath, "--data", dir.path + "/r2"])
        #expect(damaged.status == 4)
        #expect(damaged.stderr.contains("checksum"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/r2/log"), "nothing is restored from a damaged backup")
        #expect(try dir.smartcontent("verify").status == 0, "the source store is untouched")
    }
}

@Suite(.timeLimit(.minutes(10))) struct CompactTests {
    @Test func compactShrinksTheFilesKeepsEveryEventAndWaitsForOthersToLeave() async throws {
        let dir = DataDirectory()
        // Many rewrites of the same rows leave free pages behind.
        var lines: [String] = []
        for n in 0..<3000 {
            lines.append(#"{"stream":"engagement-cnt_\#(n % 3)","type":"EngagementRecorded","data":{"contentId":"cnt_\#(n % 3)","kind":"view","userId":"r\#(n)","occurredAt":"2026-02-10T10:00:00Z"}}"#)
        }
        for chunk in stride(from: 0, to: lines.count, by: 100) {
            #expect(try dir.smartcontent("import", "-", "--batch-size", "10", stdin: lines[chunk..<chunk + 100].joined(separator: "\n")).status == 0)
        }
        _ = try dir.smartcontent("query", "analytics", "--id", "cnt_1", "--from", "2026-02-10", "--to", "2026-02-10")
        let before = try dir.smartcontent("replay").stdout
        let answer = try dir.smartcontent("query", "analytics", "--id", "cnt_1", "--from", "2026-02-10", "--to", "2026-02-10").stdout

        // Another process has the store open: compact must refuse, and change nothing.
        let follower = try Child(product("smartcontent"), ["replay", "--follow", "--data", dir.store], stderr: nil)
        // Wait until the follower holds the store lock, however slow it is to start.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            do {
                _ = try StoreLock(directory: dir.store, exclusive: true)
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                break
            }
        }
        let refused = try dir.smartcontent("compact")
        kill(follower.processIdentifier, SIGKILL)
        awaitExit(follower, "the killed follower", within: .seconds(60))
        #expect(refused.status == 6, "\(refused.stderr)")
        #expect(refused.stderr.contains("in use"))

        let compacted = try dir.smartcontent("compact")
        #expect(compacted.status == 0, "\(compacted.stderr)")
        let sizes = try compacted.json()
        #expect((sizes["after"]?.integerValue ?? .max) < (sizes["before"]?.integerValue ?? 0))
        #expect(try dir.smartcontent("replay").stdout == before)
        #expect(try dir.smartcontent("verify").status == 0)
        #expect(try dir.smartcontent("query", "analytics", "--id", "cnt_1", "--from", "2026-02-10", "--to", "2026-02-10").stdout == answer)
    }
}
