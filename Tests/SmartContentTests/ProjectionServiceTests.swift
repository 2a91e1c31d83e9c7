import Foundation
import ServiceLifecycleTestKit
import SmartContent
import SmartContentDomain
import SmartContentProjections
import SmartContentTesting
import Testing

/// The runner as a `Service`: it folds while it runs, says when every projection reached a
/// position without being polled, and stops on graceful shutdown.
@Suite(.timeLimit(.minutes(10))) struct ProjectionServiceTests {
    @Test func theRunnerFoldsUntilGracefulShutdownAndStopsWithItsCheckpoints() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let engine = test.engine
        let target = try await ProjectionConsistencyTests.populate(engine, count: 2_000)
        let runner = engine.projections
        #expect(!runner.isRunning)
        #expect(engine.projectionStatus().allSatisfy { $0.checkpoint == 0 })
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await runner.run() }
                try await runner.caughtUp(to: target)
                #expect(engine.projectionStatus().allSatisfy { $0.checkpoint == target && $0.state == .live })
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(engine.projectionStatus().allSatisfy { $0.checkpoint == target && $0.state == .stopped })
        // A wait for what a stopped runner will never fold ends at once.
        var workload = Workload(seed: 43)
        let next = try await engine.record([workload.setUp()[0]], by: "usr_test")
        await #expect(throws: ProjectionRunner.Failure.stopped(name: runner.names[0])) {
            try await runner.caughtUp(to: next)
        }
    }

    @Test func waitingForTheProjectionsEndsWhenOneFails() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let target = try await ProjectionConsistencyTests.populate(test.engine, count: 3_000)
        let runner = try ProjectionRunner(log: test.engine.log, projections: [ContentProjection(), FailingProjection()],
                                          directory: test.directory + "/failing", batchSize: 500)
        runner.start()
        do {
            try await runner.caughtUp(to: target)
            Issue.record("caught up although a projection failed")
        } catch let failure as ProjectionRunner.Failure {
            guard case .projectionFailed(let name, _) = failure else { throw failure }
            #expect(name == "failing")
        }
        await runner.close()
    }
}
