import Foundation
import Logging
import ServiceLifecycleTestKit
import SmartContent
@testable import SmartContentServer
import SmartContentTesting
import Testing

@Suite(.timeLimit(.minutes(10))) struct EngineServiceTests {
    /// Readiness follows the runner: the service marks it once every projection holds the
    /// log as it was at start (woken by the runner, not polled), and closes the engine on
    /// graceful shutdown.
    @Test func theServerIsReadyOnceTheProjectionsHoldTheLogItOpened() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { try? FileManager.default.removeItem(atPath: test.directory) }
        var workload = Workload(seed: 1)
        try await test.engine.record(workload.setUp(), by: "usr_0_0")
        var configuration = SmartContentAPI.Configuration()
        configuration.jwtSecret = Array("a test secret of at least 32 bytes!!".utf8)
        let api = try SmartContentAPI(engine: test.engine, configuration: configuration)
        let target = try test.engine.lastPosition()
        #expect(!api.readiness.isReady)
        #expect(test.engine.projectionStatus().allSatisfy { $0.checkpoint < target })
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await EngineService(api: api, logger: Logger(label: "test")).run() }
                await api.readiness.wait()
                #expect(api.readiness.isReady)
                #expect(test.engine.projectionStatus().allSatisfy { $0.checkpoint >= target })
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        // Closed on shutdown: the store opens again at once, every append in it.
        var reopening = SmartContentEngine.Configuration()
        reopening.runsProjections = false
        let reopened = try SmartContentEngine(directory: test.directory, configuration: reopening)
        #expect(try reopened.lastPosition() == target)
        await reopened.close()
    }
}
