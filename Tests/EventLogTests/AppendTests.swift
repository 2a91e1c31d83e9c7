import EventLog
import Testing
import TestSupport

@Suite struct AppendTests {
    @Test func positionsAreGlobalAndDenseAndVersionsPerStream() async throws {
        try await withLog { log, _ in
            let a = try await log.append([event(), event()], to: "content-a")
            let b = try await log.append([event()], to: "content-b")
            let c = try await log.append([event()], to: "content-a")
            #expect((a.firstPosition, a.lastPosition, a.nextExpectedVersion) == (1, 2, 1))
            #expect((b.firstPosition, b.lastPosition, b.nextExpectedVersion) == (3, 3, 0))
            #expect((c.firstPosition, c.lastPosition, c.nextExpectedVersion) == (4, 4, 2))
            let all = try await log.read()
            #expect(all.map(\.position) == [1, 2, 3, 4])
            #expect(all.map(\.version) == [0, 1, 0, 2])
            #expect(all.map(\.stream.rawValue) == ["content-a", "content-a", "content-b", "content-a"])
            #expect(try log.lastPosition() == 4)
        }
    }

    @Test func storedEventsKeepEveryField() async throws {
        try await withLog { log, _ in
            let id = EventID()
            let metadata: EventMetadata = ["actor": "usr_1", "workspaceId": "wsp_1", "correlationId": "c-1"]
            let sent = NewEvent(id: id, type: "ContentCreated", schemaVersion: 3, metadata: metadata,
                                payloadFormat: .binary, payload: [0, 1, 2, 255], recordedAt: 1_700_000_000_123)
            try await log.append([sent], to: "content-cnt_1")
            let stored = try #require(try log.event(id: id))
            #expect(stored.id == id)
            #expect(stored.type == "ContentCreated")
            #expect(stored.schemaVersion == 3)
            #expect(stored.metadata == metadata)
            #expect(stored.metadata.actor == "usr_1")
            #expect(stored.payloadFormat == .binary)
            #expect(stored.payload == [0, 1, 2, 255])
            #expect(stored.recordedAt == 1_700_000_000_123)
            #expect(try log.event(at: 1) == stored)
        }
    }

    @Test func expectedVersionsAreChecked() async throws {
        try await withLog { log, _ in
            let stream: StreamName = "content-x"
            await #expect(throws: EventLogError.wrongExpectedVersion(stream: stream, expected: .streamExists, actual: nil)) {
                try await log.append([event()], to: stream, expectedVersion: .streamExists)
            }
            await #expect(throws: EventLogError.wrongExpectedVersion(stream: stream, expected: .exact(0), actual: nil)) {
                try await log.append([event()], to: stream, expectedVersion: .exact(0))
            }
            try await log.append([event()], to: stream, expectedVersion: .noStream)
            await #expect(throws: EventLogError.wrongExpectedVersion(stream: stream, expected: .noStream, actual: 0)) {
                try await log.append([event()], to: stream, expectedVersion: .noStream)
            }
            await #expect(throws: EventLogError.wrongExpectedVersion(stream: stream, expected: .exact(5), actual: 0)) {
                try await log.append([event()], to: stream, expectedVersion: .exact(5))
            }
            try await log.append([event(), event()], to: stream, expectedVersion: .exact(0))
            try await log.append([event()], to: stream, expectedVersion: .streamExists)
            try await log.append([event()], to: stream, expectedVersion: .any)
            #expect(try await log.streamInfo(stream)?.headVersion == 4)
            #expect(try log.lastPosition() == 5, "failed appends must append nothing")
        }
    }

    @Test func repeatingAnAppendIsIdempotent() async throws {
        try await withLog { log, _ in
            let events = [event("A", #"{"a":1}"#), event("B", #"{"b":2}"#)]
            let first = try await log.append(events, to: "content-1", expectedVersion: .noStream)
            // A retry after a lost answer: same ids, same expected version.
            let retry = try await log.append(events, to: "content-1", expectedVersion: .noStream)
            #expect(!first.alreadyPresent)
            #expect(retry.alreadyPresent)
            #expect((retry.firstPosition, retry.lastPosition, retry.nextExpectedVersion) == (1, 2, 1))
            #expect(try log.lastPosition() == 2)
        }
    }

    @Test func reusingAnIdForAnotherEventFails() async throws {
        try await withLog { log, _ in
            let id = EventID()
            try await log.append([event("A", #"{"a":1}"#, id: id)], to: "content-1")
            for (stream, type, json) in [("content-2", "A", #"{"a":1}"#), ("content-1", "B", #"{"a":1}"#),
                                         ("content-1", "A", #"{"a":2}"#)] {
                await #expect {
                    try await log.append([event(type, json, id: id)], to: StreamName(stream))
                } throws: { error in
                    guard case EventLogError.eventIDConflict(let conflicting, 1, _) = error else { return false }
                    return conflicting == id
                }
            }
            // Half new, half old: neither a retry nor a fresh append.
            await #expect(throws: EventLogError.self) {
                try await log.append([event("A", #"{"a":1}"#, id: id), event()], to: "content-1")
            }
            #expect(try log.lastPosition() == 1)
        }
    }

    @Test func skipExistingAppendsOnlyTheNewEvents() async throws {
        try await withLog { log, _ in
            let old = event("A")
            try await log.append([old], to: "s-1")
            let fresh = event("B")
            let results = try await log.append([StreamAppend(stream: "s-1", events: [old, fresh])], duplicates: .skipExisting)
            #expect(results[0].firstPosition == 2)
            #expect(try await log.read().map(\.type) == ["A", "B"])
        }
    }

    @Test func skipExistingDoesNotRecheckPartsAlreadyStored() async throws {
        try await withLog { log, _ in
            let first = event("A")
            try await log.append([first], to: "s", expectedVersion: .noStream)
            // A resumed import: its first line (already stored) expected no stream.
            let results = try await log.append([
                StreamAppend(stream: "s", expectedVersion: .noStream, events: [first]),
                StreamAppend(stream: "s", expectedVersion: .exact(0), events: [event("B")]),
            ], duplicates: .skipExisting)
            #expect(results.map(\.alreadyPresent) == [true, false])
            #expect(try await log.read().map(\.type) == ["A", "B"])
        }
    }

    @Test func idsOfEveryOrderAreFoundAndChecked() async throws {
        try await withLog { log, _ in
            // Minted now, derived from a hash (far above the present), below it, and out of order.
            let ids = [EventID(), EventID(high: 0xF1F2_F3F4_F5F6_F7F8, low: 1), EventID(high: 9, low: 0), EventID(),
                       EventID(high: 1, low: 0), EventID(high: 0xF1F2_F3F4_F5F6_F7F8, low: 0), EventID()]
            for (n, id) in ids.enumerated() { try await log.append([event("E\(n)", id: id)], to: "s") }
            for (n, id) in ids.enumerated() { #expect(try log.event(id: id)?.type == "E\(n)") }
            let repeated = try await log.append(ids.enumerated().map { n, id in StreamAppend(stream: "s", events: [event("E\(n)", id: id)]) },
                                                duplicates: .skipExisting)
            #expect(repeated.allSatisfy { $0.alreadyPresent })
            for id in ids {
                await #expect {
                    try await log.append([event("Other", id: id)], to: "s")
                } throws: { error in
                    guard case EventLogError.eventIDConflict(let conflicting, _, _) = error else { return false }
                    return conflicting == id
                }
            }
            #expect(try log.lastPosition() == UInt64(ids.count))
        }
    }

    @Test func anIdStoredByAnEarlierBatchOfTheSameCommitIsFound() async throws {
        try await withLog { log, _ in
            let id = EventID()
            let outcomes = try await log.append(batches: [
                [StreamAppend(stream: "s", events: [event("A", id: id)])],
                [StreamAppend(stream: "s", events: [event("A", id: id)])],
                [StreamAppend(stream: "s", events: [event("B", id: id)])],
            ], duplicates: .skipExisting)
            #expect(try outcomes[0].get().map(\.alreadyPresent) == [false])
            #expect(try outcomes[1].get().map(\.alreadyPresent) == [true])
            guard case .failure(EventLogError.eventIDConflict(id, 1, _)) = outcomes[2] else {
                Issue.record("the third batch reused the id for another event: \(outcomes[2])")
                return
            }
            #expect(try log.lastPosition() == 1)
        }
    }

    @Test func batchesAppendInOneCommitAndStopAtTheFirstThatFails() async throws {
        try await withLog { log, _ in
            let before = log.writerCounters.commits
            let results = try await log.append(batches: [
                [StreamAppend(stream: "s-1", events: [event("A")])],
                [StreamAppend(stream: "s-2", events: [event("B"), event("C")])],
            ])
            #expect(try results.map { try $0.get().map(\.lastPosition) } == [[1], [3]])
            #expect(log.writerCounters.commits == before + 1, "one commit for both batches")

            // The second batch conflicts: the first is appended, the second and third are not.
            let failing = try await log.append(batches: [
                [StreamAppend(stream: "s-3", events: [event("D")])],
                [StreamAppend(stream: "s-1", expectedVersion: .noStream, events: [event("E")])],
                [StreamAppend(stream: "s-4", events: [event("F")])],
            ])
            #expect(failing.count == 2)
            #expect(try failing[0].get().map(\.lastPosition) == [4])
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "s-1", expected: .noStream, actual: 0)) {
                try failing[1].get()
            }
            // An invalid batch (an id twice) stops the sequence the same way.
            let id = EventID()
            let invalid = try await log.append(batches: [
                [StreamAppend(stream: "s-5", events: [event("G")])],
                [StreamAppend(stream: "s-5", events: [event("H", id: id), event("I", id: id)])],
                [StreamAppend(stream: "s-6", events: [event("J")])],
            ])
            #expect(invalid.count == 2)
            #expect((try? invalid[1].get()) == nil)
            #expect(try await log.read().map(\.type) == ["A", "B", "C", "D", "G"])
        }
    }

    @Test func appendsQueuedInASequenceApplyInOrderAndStopTogether() async throws {
        try await withLog { log, _ in
            let sequence = log.appendSequence()
            // Queued before any is waited for: the writer takes them in this order.
            let queued = try (0..<20).map { round in
                sequence.enqueue(batches: [[StreamAppend(stream: try StreamName("s-\(round % 3)"), events: [event("R\(round)")])]])
            }
            for (round, append) in queued.enumerated() {
                #expect(try await append.results().map { try $0.get().map(\.lastPosition) } == [[UInt64(round + 1)]])
            }
            #expect(try await log.read().map(\.type) == (0..<20).map { "R\($0)" })

            // A conflict in one queued append: nothing queued after it through the sequence
            // is appended, though it was valid and queued before the conflict was known.
            let failing = log.appendSequence()
            let first = failing.enqueue(batches: [
                [StreamAppend(stream: "t", events: [event("A")])],
                [StreamAppend(stream: "s-0", expectedVersion: .noStream, events: [event("B")])],
            ])
            let second = failing.enqueue(batches: [[StreamAppend(stream: "u", events: [event("C")])]])
            // Another sequence is not held back.
            let other = log.appendSequence().enqueue(batches: [[StreamAppend(stream: "v", events: [event("D")])]])
            let firstResults = try await first.results()
            #expect(firstResults.count == 2)
            #expect((try? firstResults[1].get()) == nil)
            #expect(try await second.results().isEmpty)
            #expect(try await other.results().count == 1)
            #expect(try await log.read(from: 21).map(\.type) == ["A", "D"])

            // So does an invalid batch, which never reaches the writer.
            let invalid = log.appendSequence()
            let id = EventID()
            let bad = invalid.enqueue(batches: [
                [StreamAppend(stream: "w", events: [event("E")])],
                [StreamAppend(stream: "w", events: [event("F", id: id), event("G", id: id)])],
            ])
            let after = invalid.enqueue(batches: [[StreamAppend(stream: "w", events: [event("H")])]])
            let badResults = try await bad.results()
            #expect(badResults.count == 2)
            #expect(throws: EventLogError.self) { try badResults[1].get() }
            #expect(try await after.results().isEmpty)
            #expect(try await log.read(from: 21).map(\.type) == ["A", "D", "E"])
        }
    }

    @Test func aStoppedSequenceAppendsNothingNotYetBegun() async throws {
        try await withLog { log, _ in
            let sequence = log.appendSequence()
            let queued = try (0..<6).map { round in
                sequence.enqueue(batches: try (0..<10).map { batch in
                    try (0..<200).map { n in StreamAppend(stream: try StreamName("s-\(round)-\(batch)-\(n % 7)"), events: [event()]) }
                })
            }
            sequence.stop()
            let after = sequence.enqueue(batches: [[StreamAppend(stream: "late", events: [event("Late")])]])
            var applied = 0
            for append in queued {
                let results = try await append.results()
                // A group is applied whole or not at all.
                #expect(results.isEmpty || results.count == 10)
                applied += results.count * 200
            }
            #expect(try await after.results().isEmpty, "queued after the stop")
            #expect(try log.lastPosition() == UInt64(applied), "every appended event was reported")
            #expect(try await log.read().allSatisfy { $0.type != "Late" })
        }
    }

    @Test func multiStreamAppendsAreAtomic() async throws {
        try await withLog { log, _ in
            try await log.append([event()], to: "b")
            await #expect(throws: EventLogError.wrongExpectedVersion(stream: "b", expected: .noStream, actual: 0)) {
                try await log.append([
                    StreamAppend(stream: "a", expectedVersion: .noStream, events: [event(), event()]),
                    StreamAppend(stream: "b", expectedVersion: .noStream, events: [event()]),
                ])
            }
            #expect(try log.lastPosition() == 1)
            #expect(try await log.streamInfo("a") == nil)
            let results = try await log.append([
                StreamAppend(stream: "a", expectedVersion: .noStream, events: [event(), event()]),
                StreamAppend(stream: "b", expectedVersion: .exact(0), events: [event()]),
                StreamAppend(stream: "a", expectedVersion: .exact(1), events: [event()]),
            ])
            #expect(results.map(\.lastPosition) == [3, 4, 5])
            #expect(results.map(\.nextExpectedVersion) == [1, 1, 2])
        }
    }

    @Test func malformedAppendsAreRejected() async throws {
        try await withLog { log, _ in
            let id = EventID()
            await #expect(throws: EventLogError.invalidEvent("event id \(id) appears twice in one append")) {
                try await log.append([event(id: id), event(id: id)], to: "s")
            }
            await #expect(throws: EventLogError.self) { try await log.append([], to: "s") }
            await #expect(throws: EventLogError.self) { try await log.append([event("")], to: "s") }
            await #expect(throws: EventLogError.self) {
                try await log.append([event(String(repeating: "T", count: 300))], to: "s")
            }
            // Variables, not literals: `StreamName("…")` would take the literal initializer, which traps.
            let empty = "", newline = "a\nb"
            #expect(throws: EventLogError.self) { try StreamName(empty) }
            #expect(throws: EventLogError.self) { try StreamName(newline) }
            #expect(throws: EventLogError.self) { try StreamName(String(repeating: "s", count: 256)) }
            let last = try log.lastPosition()
            #expect(last == 0)
        }
    }

    @Test func concurrentAppendersGetDenseOrderedPositions() async throws {
        try await withLog { log, _ in
            let writers = 16, perWriter = 100
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for n in 0..<perWriter {
                            try await log.append([event("T", #"{"writer":\#(writer),"n":\#(n)}"#)],
                                                 to: StreamName("w-\(writer)"), expectedVersion: n == 0 ? .noStream : .exact(UInt64(n - 1)))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let all = try await log.read()
            #expect(all.map(\.position) == Array(1...UInt64(writers * perWriter)))
            for writer in 0..<writers {
                let stream = try await log.readStream(StreamName("w-\(writer)"))
                #expect(stream.map(\.version) == Array(0..<UInt64(perWriter)))
                #expect(stream.map(\.text) == (0..<perWriter).map { #"{"writer":\#(writer),"n":\#($0)}"# })
            }
            #expect(try log.verify().isHealthy)
        }
    }

    @Test func reopeningKeepsEverythingAndOneProcessOpensOnce() async throws {
        let directory = TemporaryDirectory()
        do {
            let log = try EventLog(directory: directory.path)
            try await log.append([event(), event()], to: "s")
            #expect(throws: EventLogError.self) { try EventLog(directory: directory.path) }
            await log.close()
        }
        let reopened = try EventLog(directory: directory.path)
        #expect(try reopened.lastPosition() == 2)
        let next = try await reopened.append([event()], to: "s", expectedVersion: .exact(1))
        #expect(next.lastPosition == 3)
        await reopened.close()
        await #expect(throws: EventLogError.closed) { try await reopened.append([event()], to: "s") }
        #expect(throws: EventLogError.closed) { try reopened.lastPosition() }
        // Closing releases the files at once: the directory opens again.
        let again = try EventLog(directory: directory.path)
        #expect(try again.lastPosition() == 3)
        await again.close()
    }

    @Test func theMapGrowsPastItsInitialSize() async throws {
        var options = EventLog.Options()
        options.initialMapSize = 1 << 20
        options.durability = .noSync
        try await withLog(options: options) { log, directory in
            let payload = "{\"pad\":\"" + String(repeating: "x", count: 4000) + "\"}"
            for batch in 0..<50 {
                try await log.append((0..<100).map { _ in event("Big", payload) }, to: StreamName("big-\(batch % 7)"))
            }
            #expect(try log.lastPosition() == 5000)
            let statistics = try log.statistics()
            #expect(statistics.mapBytes > 20 << 20)
            #expect(try log.verify().isHealthy)
        }
    }
}
