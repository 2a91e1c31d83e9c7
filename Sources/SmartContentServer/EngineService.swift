import Logging
import ServiceLifecycle
import SmartContent

/// Runs the projections while the server serves and says when it is ready; on shutdown
/// (after the server has drained, as it is started before it and so stopped after it)
/// closes the engine, so every acknowledged append is on disk.
struct EngineService: Service {
    let api: SmartContentAPI
    let logger: Logger

    func run() async throws {
        let engine = api.engine
        let runner = engine.projections
        let target = try engine.lastPosition()
        await withDiscardingTaskGroup { group in
            group.addTask {
                // Ready once the projections hold the log as it was at start; a shutdown or
                // a failed projection first leaves it not ready, and /readyz says which.
                do {
                    try await runner.caughtUp(to: target)
                    api.readiness.markReady()
                    logger.info("projections caught up", metadata: ["position": .stringConvertible(target)])
                } catch {
                    logger.info("not ready", metadata: ["reason": "\(error)"])
                }
            }
            // Until graceful shutdown: the runner stops after the batch in flight.
            try? await runner.run()
        }
        logger.info("closing the engine")
        await engine.close()
    }
}
