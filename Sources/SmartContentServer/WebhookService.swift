import Logging
import ServiceLifecycle
import SmartContent

/// Delivers integrators' webhooks while the server serves (``WebhookDispatcher``), with
/// the distribution's policy. Started after ``EngineService``, so stopped before the
/// engine closes: attempts in flight finish and are recorded first.
struct WebhookService: Service {
    let api: SmartContentAPI
    let policy: DeliveryPolicy
    let logger: Logger

    func run() async throws {
        let logger = logger
        let dispatcher = WebhookDispatcher(engine: api.engine, policy: policy) { logger.warning("\($0)") }
        await cancelWhenGracefulShutdown {
            // The work list is the projection's: wait until it has folded the log it opened.
            while !api.readiness.isReady {
                guard (try? await Task.sleep(for: .milliseconds(20))) != nil else { return }
            }
            await dispatcher.run()
        }
    }
}
