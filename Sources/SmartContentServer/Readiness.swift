import EventLog

/// Whether the projections have caught up once since the server started (`/readyz`), and
/// the services that wait for it before they read the projections.
final class Readiness: Sendable {
    /// 0 until ready, then 1: a watcher, so that waiting services wake when it turns.
    private let flag = PositionWatcher(head: 0)

    var isReady: Bool { flag.head > 0 }
    func markReady() { flag.advance(to: 1) }

    /// Returns once ready, or once the task is cancelled (a shutdown before the projections
    /// caught up): check ``isReady`` after.
    func wait() async {
        while !isReady && !Task.isCancelled {
            await flag.wait(forHeadAbove: 0, timeout: .seconds(3600))
        }
    }
}
