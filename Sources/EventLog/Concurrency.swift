import Foundation
import Synchronization

/// Threads of our own for blocking LMDB work (page faults on cold data, long scans), so it
/// never runs on the cooperative pool or a NIO event loop.
final class BlockingPool: Sendable {
    static let shared = BlockingPool(threads: max(4, ProcessInfo.processInfo.activeProcessorCount * 2))

    private let condition = NSCondition()
    // Guarded by `condition`; only touched between lock() and unlock().
    nonisolated(unsafe) private var jobs: [@Sendable () -> Void] = []

    init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [self] in self.work() }
            thread.name = "smartcontent-io-\(index)"
            thread.start()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    func run<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            jobs.append { continuation.resume(with: Result { try body() }) }
            condition.signal()
            condition.unlock()
        }
    }
}

/// A position that only moves forward (the log's head, a projection's checkpoint) and the
/// tasks waiting for it to pass a value.
public final class PositionWatcher: Sendable {
    private struct Waiter {
        let threshold: UInt64
        let continuation: CheckedContinuation<Void, Never>
    }
    private struct State {
        var head: UInt64
        var nextID = 0
        var waiters: [Int: Waiter] = [:]
        /// Ids woken (by timeout or cancellation) before they registered.
        var woken: Set<Int> = []
        var closed = false
    }
    private let state: Mutex<State>

    public init(head: UInt64) { state = Mutex(State(head: head)) }

    public var head: UInt64 { state.withLock { $0.head } }
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Records a new head and wakes every waiter it satisfies.
    public func advance(to head: UInt64) {
        let ready = state.withLock { state -> [Waiter] in
            guard head > state.head else { return [] }
            state.head = head
            let ready = state.waiters.filter { $0.value.threshold < head }
            for id in ready.keys { state.waiters[id] = nil }
            return Array(ready.values)
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Moves the position back (a projection emptied to be folded again); waiters keep
    /// waiting for the position they asked for.
    public func reset(to head: UInt64) {
        state.withLock { $0.head = head }
    }

    /// Marks the log closed and wakes every waiter.
    public func close() {
        let all = state.withLock { state -> [Waiter] in
            state.closed = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in all { waiter.continuation.resume() }
    }

    /// Returns once the head is above `position`, `timeout` has passed, or the task is
    /// cancelled, whichever comes first. The caller re-reads the store either way: another
    /// process may have appended without this one hearing of it.
    public func wait(forHeadAbove position: UInt64, timeout: Duration) async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.wake(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.head > position || state.closed || Task.isCancelled || state.woken.remove(id) != nil { return true }
                    state.waiters[id] = Waiter(threshold: position, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.wake(id)
        }
        timer.cancel()
        await timer.value
        state.withLock { _ = $0.woken.remove(id) }
    }

    private func wake(_ id: Int) {
        let waiter = state.withLock { state -> Waiter? in
            if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
            state.woken.insert(id)
            return nil
        }
        waiter?.continuation.resume()
    }
}
