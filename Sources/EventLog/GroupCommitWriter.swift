import Foundation
import LMDB
import Synchronization

/// The single writer of a log: a dedicated thread that takes every append waiting at the
/// moment it is free and commits them in one LMDB transaction (one fsync pair), then
/// answers each caller. While it syncs, new appends queue up for the next round, so
/// throughput grows with the number of concurrent appenders and every answer comes only
/// after its data is durable.
final class GroupCommitWriter: Sendable {
    typealias Outcome = Result<[Result<[AppendResult], EventLogError>], any Error>

    struct Pending: Sendable {
        /// Applied in order until one fails; a single append is a sequence of one.
        let requests: [AppendRequest]
        /// The ordered appends this one belongs to, if any: once one of them fails, the
        /// later ones are not applied (their outcome has no results).
        let sequence: AppendSequence.State?
        /// Why the request after these could not be handed over: the last result when
        /// these all succeed.
        let refused: EventLogError?
        let complete: @Sendable (Outcome) -> Void

        var eventCount: Int { requests.reduce(0) { $0 + $1.eventCount } }
    }

    /// Counters since the log was opened, for metrics and tuning.
    let commits = Atomic<Int>(0)
    let requests = Atomic<Int>(0)
    let events = Atomic<Int>(0)

    private let store: LogStore
    private let head: PositionWatcher
    private let maxEventsPerCommit: Int
    private let condition = NSCondition()
    // Both guarded by `condition`.
    nonisolated(unsafe) private var queue: [Pending] = []
    nonisolated(unsafe) private var isClosed = false
    /// Requests in the last group: the writer's estimate of how many appenders are active.
    nonisolated(unsafe) private var lastGroupSize = 1
    /// What the writer waits for, so appenders wake it only when it has a reason to run:
    /// 0 while it commits, 1 for any request, n for a group of n.
    nonisolated(unsafe) private var wakeAt = 0
    /// How long the writer may hold a commit back for stragglers of a burst. Far below an
    /// fsync, so a lone appender never waits (its burst is itself) while many appenders
    /// share commits instead of splitting into a big and a small group.
    private static let gatherWindow: TimeInterval = 0.000_2
    private let finished = NSCondition()
    nonisolated(unsafe) private var isFinished = false

    init(store: LogStore, head: PositionWatcher, maxEventsPerCommit: Int) {
        self.store = store
        self.head = head
        self.maxEventsPerCommit = maxEventsPerCommit
        let thread = Thread { [self] in self.run() }
        thread.name = "smartcontent-log-writer"
        thread.start()
    }

    /// Applies `requests` in order in one transaction, stopping at the first that fails:
    /// its error is the last result, and nothing of it or of the requests after it is written.
    func submit(_ requests: [AppendRequest]) async throws -> [Result<[AppendResult], EventLogError>] {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(Pending(requests: requests, sequence: nil, refused: nil) { continuation.resume(with: $0) })
        }
    }

    /// Queues `pending` behind every request queued before it; `complete` runs on the
    /// writer thread (or at once, when the writer is closed).
    func enqueue(_ pending: Pending) {
        condition.lock()
        if isClosed {
            condition.unlock()
            pending.complete(.failure(EventLogError.closed))
            return
        }
        queue.append(pending)
        if wakeAt > 0 && queue.count >= wakeAt { condition.signal() }
        condition.unlock()
    }

    /// Refuses new appends; the queued ones still commit, then the thread ends.
    func requestClose() {
        condition.lock()
        isClosed = true
        condition.signal()
        condition.unlock()
    }

    /// ``requestClose()``, then waits for the thread to end.
    func close() {
        requestClose()
        finished.lock()
        while !isFinished { finished.wait() }
        finished.unlock()
    }

    private func takeGroup() -> [Pending]? {
        condition.lock()
        defer { condition.unlock() }
        wakeAt = 1
        while queue.isEmpty && !isClosed { condition.wait() }
        if queue.isEmpty { return nil }
        if queue.count < lastGroupSize {
            wakeAt = lastGroupSize
            let deadline = Date(timeIntervalSinceNow: Self.gatherWindow)
            while queue.count < lastGroupSize && !isClosed {
                if !condition.wait(until: deadline) { break }
            }
        }
        wakeAt = 0
        var events = 0
        var count = 0
        for pending in queue {
            events += pending.eventCount
            count += 1
            if events >= maxEventsPerCommit { break }
        }
        let group = Array(queue.prefix(count))
        queue.removeFirst(count)
        lastGroupSize = count
        return group
    }

    private func run() {
        while let group = takeGroup() {
            commit(group)
        }
        finished.lock()
        isFinished = true
        finished.broadcast()
        finished.unlock()
    }

    private func commit(_ group: [Pending]) {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let outcome = Result { () throws -> ([[Result<[AppendResult], EventLogError>]], UInt64) in
            try store.environment.write { txn in
                var next = try store.lastPosition(txn) + 1
                var gap = try IDGap(around: now, ids: store.ids, txn)
                var outcomes: [[Result<[AppendResult], EventLogError>]] = []
                outcomes.reserveCapacity(group.count)
                for pending in group {
                    var results: [Result<[AppendResult], EventLogError>] = []
                    if pending.sequence?.isStopped != true {
                        results.reserveCapacity(pending.requests.count)
                        for request in pending.requests {
                            let result = try store.apply(request, nextPosition: &next, gap: &gap, now: now, txn)
                            results.append(result)
                            if case .failure = result { break }
                        }
                        let failed = results.last.map { (try? $0.get()) == nil } ?? false
                        if let refused = pending.refused, !failed { results.append(.failure(refused)) }
                        if failed || pending.refused != nil { pending.sequence?.stop() }
                    }
                    outcomes.append(results)
                }
                return (outcomes, next - 1)
            }
        }
        switch outcome {
        case .success(let (outcomes, last)):
            head.advance(to: last)
            commits.add(1, ordering: .relaxed)
            requests.add(group.count, ordering: .relaxed)
            events.add(group.reduce(0) { $0 + $1.eventCount }, ordering: .relaxed)
            for (pending, results) in zip(group, outcomes) {
                pending.complete(.success(results))
            }
        case .failure(let error):
            let reported = EventLogError(error)
            for pending in group {
                pending.sequence?.stop()
                pending.complete(.failure(reported))
            }
        }
    }
}
