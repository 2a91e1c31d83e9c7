import Logging
import ServiceLifecycle
import SmartContent

/// Runs the projections while the server serves; on shutdown (after the server has
/// drained, as it is started before it and so stopped after it) closes the engine, so
/// every acknowledged append is on disk.
struct EngineService: Service {
    let api: SmartContentAPI
    let logger: Logger

    func run() async throws {
        let engine = api.engine
        engine.projections.start()
        let target = try engine.log.lastPosition()
        let watcher = Task {
            while !Task.isCancelled {
                if engine.projections.status().allSatisfy({ $0.checkpoint >= target }) {
                    api.readiness.markReady()
                    logger.info("projections caught up", metadata: ["position": .stringConvertible(target)])
                    return
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        try? await gracefulShutdown()
        watcher.cancel()
        logger.info("closing the engine")
        await engine.close()
    }
}
