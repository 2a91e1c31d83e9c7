import Logging
import ServiceLifecycle
import SmartContent

/// Delivers distribution jobs while the server serves (``Distributor``). Started after
/// ``EngineService``, so stopped before the engine closes: attempts in flight finish
/// (each within the delivery timeout) and their outcomes are recorded first.
struct DistributionService: Service {
    let api: SmartContentAPI
    let policy: DeliveryPolicy
    let logger: Logger

    func run() async throws {
        let logger = logger
        let distributor = Distributor(engine: api.engine, policy: policy) { logger.warning("\($0)") }
        await cancelWhenGracefulShutdown {
            // The work list is the projection's: wait until it has folded the log it opened.
            while !api.readiness.isReady {
                guard (try? await Task.sleep(for: .milliseconds(20))) != nil else { return }
            }
            await distributor.run()
        }
    }
}
