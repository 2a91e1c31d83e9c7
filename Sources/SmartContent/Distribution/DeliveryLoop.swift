import Synchronization
public import SmartContentDomain

/// What a sender (``Distributor``, ``WebhookDispatcher``) has in flight: the attempts a
/// look for work must not take again, how many go to each receiver (each has a limit,
/// so a slow receiver holds only its own), and the last position the sender appended.
final class DeliveryLoop<Key: Hashable & Sendable, Receiver: Hashable & Sendable>: Sendable {
    private struct State {
        var keys = Set<Key>()
        var perReceiver: [Receiver: Int] = [:]
    }
    private let state = Mutex(State())
    /// A look for work reads at least this far, so it never takes an attempt the sender
    /// just recorded for still pending.
    private let appended = Atomic<UInt64>(0)
    let policy: DeliveryPolicy
    private let doorbell: Doorbell

    init(policy: DeliveryPolicy, doorbell: Doorbell) {
        self.policy = policy
        self.doorbell = doorbell
    }

    /// The attempts in flight and how many go to each receiver.
    var inFlight: (keys: Set<Key>, perReceiver: [Receiver: Int]) { state.withLock { ($0.keys, $0.perReceiver) } }

    /// The position a look for work must read at least: the log's head, or further if
    /// this sender appended since.
    func readPosition(head: UInt64) -> UInt64 { max(appended.load(ordering: .acquiring), head) }

    /// Claims `key` for an attempt to `receiver`; false when it is already in flight.
    func claim(_ key: Key, for receiver: Receiver) -> Bool {
        state.withLock { state in
            guard state.keys.insert(key).inserted else { return false }
            state.perReceiver[receiver, default: 0] += 1
            return true
        }
    }

    /// Ends the attempt of `key` (whose outcome was appended at `position`, if it was) and
    /// wakes the loop, which may start the receiver's next one.
    func release(_ key: Key, for receiver: Receiver, appendedAt position: UInt64?) {
        if let position { appended.max(position) }
        state.withLock { state in
            state.keys.remove(key)
            state.perReceiver[receiver, default: 1] -= 1
            if state.perReceiver[receiver] == 0 { state.perReceiver[receiver] = nil }
        }
        doorbell.ring()
    }

    /// Until the task is cancelled: takes the due work `dueWork` claims, starts `attempt`
    /// for each, and sleeps until the first not-yet-due item is due, the doorbell rings or
    /// the poll interval passes. Attempts in flight finish (each within the timeout)
    /// before it returns.
    func run<Work: Sendable>(now: () -> Instant, warn: (String) -> Void, dueWork: () async throws -> ([Work], Instant?),
                             attempt: @escaping @Sendable (Work) async -> Void) async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                var wake = policy.pollInterval
                do {
                    let (work, next) = try await dueWork()
                    for item in work { group.addTask { await attempt(item) } }
                    if let next {
                        wake = min(wake, .milliseconds(max(next.millisecondsSince1970 - now().millisecondsSince1970, 1)))
                    }
                } catch is CancellationError {
                    break
                } catch {
                    warn("could not read the work to deliver: \(error)")
                }
                await doorbell.wait(upTo: wake)
            }
        }
    }
}

extension Atomic where Value == UInt64 {
    func max(_ value: UInt64) {
        var current = load(ordering: .relaxed)
        while current < value {
            let (exchanged, original) = compareExchange(expected: current, desired: value, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }
}
