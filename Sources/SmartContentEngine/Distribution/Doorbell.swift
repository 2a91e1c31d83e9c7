import Synchronization

/// Wakes one waiting loop: a ring before the wait is kept, so no ring is lost between a
/// loop's look for work and its wait.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.rung = true
            return nil
        }
        waiter?.resume()
    }

    /// Whether a ring is kept for the next wait, which it then no longer is: for tests,
    /// which cannot tell a ring from a timeout by how long a wait took.
    func takeRing() -> Bool {
        state.withLock { state in
            defer { state.rung = false }
            return state.rung
        }
    }

    /// Returns at the next ring (at once if one came since the last wait), after
    /// `timeout`, or when the task is cancelled.
    func wait(upTo timeout: Duration) async {
        let timer = Task { [weak self] in
            // Cancelled when a ring ended the wait: ringing then would end the next one.
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self?.ring()
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.rung {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            ring()
        }
    }
}

/// A doorbell rung once the projections have folded past the last event that queued work:
/// the senders read their work from projections, so a ring at the append (usually before
/// the fold) would find nothing, and a ring after every fold would wake them for batches
/// that queue none.
final class FoldDoorbell: Sendable {
    let doorbell = Doorbell()
    /// The position to fold past before ringing; 0 for none.
    private let awaited = Atomic<UInt64>(0)
    /// Where the projections last said they were.
    private let foldedThrough = Atomic<UInt64>(0)

    /// Work was appended at `position`. The fold may have passed it already (it runs
    /// while the appender finishes up), and then this rings.
    func ring(whenFoldedPast position: UInt64) {
        var current = awaited.load(ordering: .sequentiallyConsistent)
        while current < position {
            let (exchanged, original) = awaited.compareExchange(
                expected: current, desired: position, ordering: .sequentiallyConsistent)
            if exchanged { break }
            current = original
        }
        // Each side writes its own position before reading the other's, so one of them
        // sees both (at worst both ring, which costs the senders one look).
        ringIfFolded(through: foldedThrough.load(ordering: .sequentiallyConsistent))
    }

    /// Every projection has folded through `position`.
    func folded(through position: UInt64) {
        foldedThrough.store(position, ordering: .sequentiallyConsistent)
        ringIfFolded(through: position)
    }

    private func ringIfFolded(through position: UInt64) {
        var wanted = awaited.load(ordering: .sequentiallyConsistent)
        // A later position recorded meanwhile stays for a later fold.
        while wanted != 0, wanted <= position {
            let (exchanged, original) = awaited.compareExchange(expected: wanted, desired: 0, ordering: .sequentiallyConsistent)
            if exchanged {
                doorbell.ring()
                return
            }
            wanted = original
        }
    }
}
