public import EventLog
public import SmartContentProjections

/// How far the log and the projections have got, for embedders who follow them: the
/// log and the runner themselves stay the engine's own.
extension SmartContentEngine {
    /// The position of the last event in the log (0 when it is empty), appends of other
    /// processes on the same store included.
    public func lastPosition() throws(EventLogError) -> UInt64 {
        try log.lastPosition()
    }

    /// Every event after `position` that passes `filter`: first those already in the log,
    /// then each new one as it is appended. Iteration ends when the task is cancelled or
    /// the engine is closed.
    ///
    /// The events are as the log holds them: personal data stays sealed.
    /// ``events(after:limit:)`` decodes a page of them with it opened.
    public func subscribe(after position: UInt64 = 0, filter: EventFilter = .all) -> EventSubscription {
        log.subscribe(after: position, filter: filter)
    }

    /// Where each projection stands: its checkpoint, how many events it has still to fold,
    /// and whether it is catching up, live, failed or stopped.
    public func projectionStatus() -> [ProjectionRunner.Status] {
        projections.status()
    }

    /// Waits until every projection has folded `position`, at most `timeout` (the
    /// configuration's `readTimeout` when nil). A read given `atLeast:` waits for its own
    /// projection only; this waits for all of them.
    ///
    /// - Throws: `ProjectionRunner.Failure`: the timeout, a failed projection, or a
    ///   position beyond the log.
    public func waitForProjections(toReach position: UInt64, timeout: Duration? = nil) async throws(ProjectionRunner.Failure) {
        try await projections.waitUntil(position: position, timeout: timeout ?? configuration.readTimeout)
    }

    /// What the log's writer has done since the engine opened: commits (each one fsync
    /// pair in durable mode), the append requests they answered and the events they wrote.
    public var logWriterCounters: (commits: Int, requests: Int, events: Int) {
        log.writerCounters
    }
}
