import ServiceLifecycle

/// Runs a sender while the server serves: the ``Distributor`` of channel deliveries or
/// the ``WebhookDispatcher`` of integrators' webhooks. Started after ``EngineService``,
/// so stopped before the engine closes: attempts in flight finish (each within the
/// delivery timeout) and their outcomes are recorded first.
struct DeliveryService: Service {
    let api: SmartContentAPI
    /// Delivers until its task is cancelled.
    let deliver: @Sendable () async -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            // The work list is a projection's: wait until it has folded the log it opened.
            await api.readiness.wait()
            guard api.readiness.isReady else { return }
            await deliver()
        }
    }
}
