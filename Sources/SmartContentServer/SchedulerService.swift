import Logging
import ServiceLifecycle
import SmartContent
import SmartContentDomain

/// Fires due schedules while the server serves (``SmartContentEngine/fireDueSchedules(now:grace:limit:)``):
/// at start (what a downtime left overdue, oldest first, or missed beyond the grace
/// period), then whenever the next publish time comes, checking at least every
/// `interval` for schedules another server on the store added.
///
/// Started after ``EngineService`` in the application's services, so stopped before it
/// closes the engine: a firing in flight finishes first.
struct SchedulerService: Service {
    let api: SmartContentAPI
    let grace: Duration
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let engine = api.engine
        try? await cancelWhenGracefulShutdown {
            // The due list is the projection's: wait until it has folded the log it opened.
            await api.readiness.wait()
            guard api.readiness.isReady else { return }
            while !Task.isCancelled {
                do {
                    for firing in try await engine.fireDueSchedules(grace: grace) {
                        switch firing {
                        case .fired(let id, let occurrence, let job):
                            logger.info("schedule fired", metadata: ["scheduleId": "\(id)", "occurrence": "\(occurrence)",
                                                                     "jobId": "\(job)"])
                        case .missed(let id, let occurrence):
                            // Issue 14 item 5 notifies the author from the ScheduleMissed event.
                            logger.warning("schedule missed", metadata: ["scheduleId": "\(id)", "occurrence": "\(occurrence)"])
                        }
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("scheduler round failed; retrying", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: try await pause(engine))
            }
        }
    }

    /// Until the next publish time, at most `interval`.
    private func pause(_ engine: SmartContentEngine) async throws -> Duration {
        guard let next = try? await engine.nextDueTime() else { return interval }
        let wait = Duration.milliseconds(max(next.millisecondsSince1970 - engine.now.millisecondsSince1970, 0))
        return min(max(wait, .milliseconds(5)), interval)
    }
}
