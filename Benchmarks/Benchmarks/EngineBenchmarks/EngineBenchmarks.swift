// The projections' figures: a replay of 1 M mixed events (80 % engagement) through every
// projection from position 0, each projection alone, and the latency of analytics queries;
// and the offline generator's: a 5,000-word article generated, and refined.
//
//   cd Benchmarks && swift package benchmark --target EngineBenchmarks
import Benchmark
import EventLog
import Foundation
import SmartContent
import SmartContentDomain
import SmartContentProjections
import SmartContentTesting

/// A store holding the 1 M-event workload, built once per benchmark process; or once for
/// good in `$SMARTCONTENT_BENCH_STORE` when set (kept, and reused by later runs and by the
/// CLI: `smartcontent rebuild --data $SMARTCONTENT_BENCH_STORE`, say under `perf`).
final class ReplayFixture: Sendable {
    static let eventCount = 1_000_000
    static let keptDirectory = ProcessInfo.processInfo.environment["SMARTCONTENT_BENCH_STORE"]
    let directory: String
    let engine: SmartContentEngine

    init() async throws {
        directory = Self.keptDirectory ?? NSTemporaryDirectory() + "smartcontent-engine-bench-\(UUID().uuidString)"
        var configuration = SmartContentEngine.Configuration()
        configuration.runsProjections = false
        configuration.durability = .noSync
        engine = try SmartContentEngine(directory: directory, configuration: configuration)
        let kept = try engine.lastPosition()
        if kept >= UInt64(Self.eventCount) { return }
        // Folding the workload again on top of a part of it would measure another store.
        guard kept == 0 else { throw IncompleteStore(directory: directory, events: kept) }
        var workload = Workload(seed: 7)
        var batch = workload.setUp()
        var written = batch.count
        while written < Self.eventCount {
            batch.append(workload.next())
            written += 1
            if batch.count == 5000 {
                try await engine.record(batch, by: "usr_0_0")
                batch.removeAll(keepingCapacity: true)
            }
        }
        try await engine.record(batch, by: "usr_0_0")
    }

    /// Folds the log into fresh stores. The measurement ends once every fold has committed:
    /// closing the stores and deleting them again is the benchmark's own tidying.
    func rebuild(_ benchmark: Benchmark, projections names: [String]? = nil) async throws {
        let target = directory + "/rebuild-\(UUID().uuidString)"
        let runner = try await engine.rebuild(into: target, projections: names)
        benchmark.stopMeasurement()
        await runner.close()
        try FileManager.default.removeItem(atPath: target)
    }
}

struct IncompleteStore: Error, CustomStringConvertible {
    var directory: String
    var events: UInt64
    var description: String { "\(directory) holds \(events) events, not the whole workload: delete it and run again" }
}

nonisolated(unsafe) var fixture: ReplayFixture!

@Sendable func makeFixture() async throws {
    guard fixture == nil else { return }
    fixture = try await ReplayFixture()
    // The store is ~240 MB: leave nothing behind in the temporary directory.
    atexit {
        if let fixture, ReplayFixture.keptDirectory == nil { try? FileManager.default.removeItem(atPath: fixture.directory) }
    }
}

let benchmarks: @Sendable () -> Void = {
    let replay = Benchmark.Configuration(metrics: [.wallClock, .throughput], scalingFactor: .one,
                                         maxDuration: .seconds(20), maxIterations: 5)
    Benchmark("Replay 1M mixed events through every projection", configuration: replay,
              closure: { benchmark in try await fixture.rebuild(benchmark) }, setup: makeFixture)
    for type in SmartContentEngine.projectionTypes {
        Benchmark("Replay 1M mixed events through \(type.name) alone", configuration: replay,
                  closure: { benchmark in try await fixture.rebuild(benchmark, projections: [type.name]) }, setup: makeFixture)
    }

    let query = Benchmark.Configuration(metrics: [.wallClock, .throughput], scalingFactor: .one,
                                        maxDuration: .seconds(5), maxIterations: 50_000)
    Benchmark("Query: one content's 30-day analytics", configuration: query, closure: { _ in
        let day = Instant(iso8601: "2026-01-01T00:00:00Z")!.utcDay
        let id = ContentID(rawValue: "cnt_\(Int.random(in: 0..<2000))")!
        blackHole(try await fixture.engine.read(AnalyticsProjection.self) { try $0.content(id, fromDay: day, toDay: day + 29) })
    }, setup: {
        try await makeFixture()
        try await fixture.engine.catchUp()
    })
    let generation = Benchmark.Configuration(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .one,
                                             maxDuration: .seconds(5), maxIterations: 1000)
    let article = GenerationRequest(contentType: .article, topic: "edge computing", tone: .informative, length: 5000,
                                    keywords: ["latency", "5G", "IoT devices"])
    Benchmark("Generate a 5,000-word article offline", configuration: generation, closure: { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try await OfflineContentGenerator().generate(article)) }
    })
    for instructions in ["half as long", "more casual", "longer"] {
        Benchmark("Refine a 5,000-word article: \(instructions)", configuration: generation, closure: { benchmark in
            var seeded = article
            seeded.seed = 1
            let body = try await OfflineContentGenerator().generate(seeded).body
            let request = RefinementRequest(title: "Edge Computing", body: body, instructions: instructions,
                                            contentType: .article, tone: .informative, keywords: article.keywords,
                                            topic: article.topic)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try await OfflineContentGenerator().refine(request)) }
        })
    }

    Benchmark("Query: workspace dashboard", configuration: query, closure: { _ in
        let day = Instant(iso8601: "2026-01-01T00:00:00Z")!.utcDay
        let workspace = WorkspaceID(rawValue: "wsp_\(Int.random(in: 0..<3))")!
        blackHole(try await fixture.engine.read(AnalyticsProjection.self) { try $0.dashboard(workspace, fromDay: day, toDay: day + 29) })
    }, setup: {
        try await makeFixture()
        try await fixture.engine.catchUp()
    })
}
