import EventLog
import Synchronization
import Testing
import TestSupport

@Suite struct SubscriptionTests {
    @Test func aSubscriberStartedMidStreamSeesEveryEventOnceInOrder() async throws {
        try await withLog { log, _ in
            for n in 0..<300 { try await log.append([event("T", #"{"n":\#(n)}"#)], to: StreamName("s-\(n % 5)")) }
            let appenders = 4, perAppender = 250
            let total = 300 + appenders * perAppender
            try await withThrowingTaskGroup(of: [UInt64].self) { group in
                group.addTask {
                    var seen: [UInt64] = []
                    // Start after position 100: mid-log, while the appenders below are running.
                    for try await event in log.subscribe(after: 100) {
                        seen.append(event.position)
                        if seen.count == total - 100 { break }
                    }
                    return seen
                }
                for appender in 0..<appenders {
                    group.addTask {
                        for n in 0..<perAppender {
                            try await log.append([event("T", #"{"a":\#(appender),"n":\#(n)}"#)], to: StreamName("a-\(appender)"))
                        }
                        return []
                    }
                }
                var seen: [UInt64] = []
                for try await result in group where !result.isEmpty { seen = result }
                #expect(seen == Array(101...UInt64(total)))
            }
        }
    }

    @Test func aFilteredSubscriptionDeliversOnlyMatchingEvents() async throws {
        try await withLog { log, _ in
            let subscription = log.subscribe(filter: EventFilter(streamPrefix: "content-", types: ["Published"]))
            let reader = Task {
                var positions: [UInt64] = []
                for try await event in subscription {
                    positions.append(event.position)
                    if positions.count == 3 { break }
                }
                return positions
            }
            for n in 1...30 {
                try await log.append([event(n % 10 == 0 ? "Published" : "Other")], to: StreamName(n % 20 == 0 ? "content-x" : "content-y"))
            }
            try await log.append([event("Published")], to: "other-z")
            try await log.append([event("Published")], to: "content-z")
            #expect(try await reader.value == [10, 20, 30])
        }
    }

    @Test func subscriptionsEndWhenTheLogCloses() async throws {
        let directory = TemporaryDirectory()
        let log = try EventLog(directory: directory.path)
        try await log.append([event()], to: "s")
        let (firstRead, signal) = AsyncStream<Void>.makeStream()
        let reader = Task {
            var count = 0
            for try await _ in log.subscribe() {
                count += 1
                signal.yield()
            }
            return count
        }
        // Close only once the subscriber has read the event and is waiting for more.
        for await _ in firstRead { break }
        await log.close()
        #expect(try await reader.value == 1)
    }

    @Test func closingWhileSubscribersReadEndsThemWithoutError() async throws {
        // A close that lands during a subscriber's read must end it like any other close.
        let seed = TestSeed()
        var random = seed.generator
        for round in 0..<20 {
            let directory = TemporaryDirectory()
            let log = try EventLog(directory: directory.path)
            try await log.append([event()], to: "s")
            let readers = (0..<8).map { _ in
                Task {
                    var subscription = log.subscribe()
                    subscription.pollInterval = .milliseconds(1)
                    for try await _ in subscription {}
                }
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...5, using: &random)))
            await log.close()
            for reader in readers {
                do { try await reader.value } catch { Issue.record(error, "round \(round), \(seed)") }
            }
        }
    }

    @Test func waitingForAPositionReturnsOnceItIsWritten() async throws {
        try await withLog { log, _ in
            #expect(await log.waitForPosition(1, timeout: .milliseconds(50)) == false)
            async let reached = log.waitForPosition(3, timeout: .seconds(10))
            try await log.append([event(), event(), event()], to: "s")
            #expect(await reached)
        }
    }
}
