// The event log's figures: durable appends at several concurrencies, batched appends, a
// full read of 1 M events and a 100-event stream read. Workload as in
// shared/reference: ~300-byte payloads, streams content-<n % 10000>.
//
//   cd Benchmarks && swift package benchmark --target LogBenchmarks
//
// Each append iteration writes 1000 events (scaling factor kilo), so throughput reads
// directly as thousands of events per second.
import Benchmark
import EventLog
import Foundation
import Synchronization

/// A log in a fresh temporary directory, shared by the iterations of one benchmark.
final class Fixture: Sendable {
    let directory: String
    let log: EventLog
    let counter = Atomic<Int>(0)

    init(durability: EventLog.Durability) {
        directory = NSTemporaryDirectory() + "smartcontent-bench-\(UUID().uuidString)"
        var options = EventLog.Options()
        options.durability = durability
        log = try! EventLog(directory: directory, options: options)
    }

    func close() async {
        let (commits, requests, events) = log.writerCounters
        if commits > 0, ProcessInfo.processInfo.environment["SMARTCONTENT_BENCH_COUNTERS"] != nil {
            print("commits \(commits), requests/commit \(Double(requests) / Double(commits)), events/commit \(Double(events) / Double(commits))")
        }
        await log.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let padding = [UInt8](repeating: UInt8(ascii: "x"), count: 300)

    /// The n-th event of the workload and its stream.
    static func event(_ n: Int) -> (StreamName, NewEvent) {
        let stream = try! StreamName("content-\(n % 10_000)")
        var json = Array(#"{"contentId":"cnt_\#(n % 10_000)","userId":"usr_\#(n % 50_000)","kind":"view","channel":"web","occurredAt":"2026-02-15T10:30:00Z","seq":\#(n),"pad":""#.utf8)
        json += padding[0..<max(0, 298 - json.count)]
        json += Array(#""}"#.utf8)
        return (stream, NewEvent(type: "EngagementRecorded", metadata: ["actor": "usr_\(n % 50_000)"], payload: json))
    }
}

nonisolated(unsafe) var fixture: Fixture!

func appendBenchmark(_ name: String, appenders: Int, durability: EventLog.Durability) {
    Benchmark(
        name,
        configuration: .init(metrics: [.throughput, .wallClock], scalingFactor: .kilo, maxDuration: .seconds(5), maxIterations: 200),
        closure: { benchmark in
            let log = fixture.log
            let perAppender = benchmark.scaledIterations.count / appenders
            let start = fixture.counter.add(appenders * perAppender, ordering: .relaxed).oldValue
            try await withThrowingTaskGroup(of: Void.self) { group in
                for appender in 0..<appenders {
                    group.addTask {
                        for i in 0..<perAppender {
                            let (stream, event) = Fixture.event(start + appender * perAppender + i)
                            try await log.append([event], to: stream)
                        }
                    }
                }
                try await group.waitForAll()
            }
        },
        setup: { fixture = Fixture(durability: durability) },
        teardown: { await fixture.close() }
    )
}

func batchedBenchmark(_ name: String, durability: EventLog.Durability) {
    Benchmark(
        name,
        configuration: .init(metrics: [.throughput, .wallClock], scalingFactor: .kilo, maxDuration: .seconds(5), maxIterations: 300),
        closure: { benchmark in
            let start = fixture.counter.add(benchmark.scaledIterations.count, ordering: .relaxed).oldValue
            var appends: [StreamAppend] = []
            appends.reserveCapacity(benchmark.scaledIterations.count)
            for i in benchmark.scaledIterations {
                let (stream, event) = Fixture.event(start + i)
                appends.append(StreamAppend(stream: stream, events: [event]))
            }
            benchmark.startMeasurement()
            try await fixture.log.append(appends)
        },
        setup: { fixture = Fixture(durability: durability) },
        teardown: { await fixture.close() }
    )
}

let benchmarks: @Sendable () -> Void = {
    appendBenchmark("Durable appends, 1 appender", appenders: 1, durability: .sync)
    appendBenchmark("Durable appends, 16 appenders", appenders: 16, durability: .sync)
    appendBenchmark("Durable appends, 64 appenders", appenders: 64, durability: .sync)

    batchedBenchmark("Durable batched appends, 1000 events per call", durability: .sync)
    batchedBenchmark("Batched appends without fsync, 1000 events per call", durability: .noSync)

    Benchmark(
        "Full forward read of 1M events (zero-copy views)",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 20),
        closure: { _ in
            var count = 0
            var bytes = 0
            try fixture.log.withSnapshot { snapshot in
                try snapshot.forEach(from: 1) { view in
                    count += 1
                    bytes &+= view.payloadBytes.count
                    return true
                }
            }
            precondition(count == 1_000_000)
            blackHole(bytes)
        },
        setup: fillMillion,
        teardown: { await fixture.close() }
    )

    Benchmark(
        "Full forward read of 1M events (materialized RecordedEvent)",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 10),
        closure: { _ in
            var count = 0
            try fixture.log.withSnapshot { snapshot in
                try snapshot.forEach(from: 1) { view in
                    blackHole(try view.materialize())
                    count += 1
                    return true
                }
            }
            precondition(count == 1_000_000)
        },
        setup: fillMillion,
        teardown: { await fixture.close() }
    )

    Benchmark(
        "Stream read of 100 events among 1M",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .one, maxDuration: .seconds(5), maxIterations: 20_000),
        closure: { _ in
            let n = Int.random(in: 0..<10_000)
            let events = try fixture.log.readStream(try StreamName("content-\(n)"))
            precondition(events.count == 100)
            blackHole(events)
        },
        setup: fillMillion,
        teardown: { await fixture.close() }
    )
}

/// 1 M events in batches of 1000 (no fsync: this is set-up, not the measurement).
@Sendable func fillMillion() async throws {
    fixture = Fixture(durability: .noSync)
    for batch in 0..<1000 {
        let appends = (0..<1000).map { i -> StreamAppend in
            let (stream, event) = Fixture.event(batch * 1000 + i)
            return StreamAppend(stream: stream, events: [event])
        }
        try await fixture.log.append(appends)
    }
    try fixture.log.withSnapshot { _ in }
}
