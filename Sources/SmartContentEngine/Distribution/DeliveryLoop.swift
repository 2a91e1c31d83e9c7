import Synchronization
import SmartContentDomain

/// What a sender (``Distributor``, ``WebhookDispatcher``) has in flight: the attempts a
/// look for work must not take again, how many go to each receiver (each has a limit,
/// so a slow receiver holds only its own), and the last position the sender appended.
final class DeliveryLoop<Key: Hashable & Sendable, Receiver: Hashable & Sendable>: Sendable {
    private struct State {
        var keys = Set<Key>()
        var perReceiver: [Receiver: Int] = [:]
        /// Attempts whose outcome the sender appended at that position, until the
        /// projection it works from has folded it (``forget(through:)``): till then the
        /// projection still shows them due.
        var recorded: [Key: UInt64] = [:]
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

    static var minimumLookInterval: Duration { .milliseconds(2) }

    /// The attempts in flight and how many go to each receiver.
    var inFlight: (keys: Set<Key>, perReceiver: [Receiver: Int]) { state.withLock { ($0.keys, $0.perReceiver) } }

    /// Attempts recorded at a position the sender's projection may not have folded yet.
    var recorded: [Key: UInt64] { state.withLock { $0.recorded } }

    /// Drops what a projection folded through `checkpoint` shows by itself.
    func forget(through checkpoint: UInt64) {
        state.withLock { state in
            if !state.recorded.isEmpty { state.recorded = state.recorded.filter { $0.value > checkpoint } }
        }
    }

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
    /// With `untilFolded`, a sender that reads without waiting (``recorded``) keeps the key
    /// out of its looks until its projection passes `position`, or `untilFolded` when the
    /// outcome's position is unknown.
    func release(_ key: Key, for receiver: Receiver, appendedAt position: UInt64?, untilFolded head: UInt64? = nil) {
        if let position { appended.max(position) }
        state.withLock { state in
            state.keys.remove(key)
            if let head { state.recorded[key] = position ?? head }
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
            let clock = ContinuousClock()
            while !Task.isCancelled {
                // Under load every finished attempt rings: look for work at most every
                // few milliseconds, each look taking all it may.
                let looked = clock.now
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
                let pause = Self.minimumLookInterval - (clock.now - looked)
                if pause > .zero { try? await Task.sleep(for: pause) }
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
