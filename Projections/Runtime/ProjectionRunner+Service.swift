public import ServiceLifecycle

extension ProjectionRunner: Service {
    /// Folds in the background (``start()``) until graceful shutdown or cancellation, then
    /// stops after the batch in flight and returns. Checkpoints stay where they are and the
    /// stores stay open for whoever opened the runner to ``close()``: in a service group it
    /// goes before the services that read the projections, so they stop before it does.
    public func run() async throws {
        start()
        // Thrown only when cancelled, which ends the run the same way.
        try? await gracefulShutdown()
        await stop()
    }
}
