import Synchronization

/// Appends handed to the writer one after another without waiting for each: a bulk
/// import queues its next batches while the writer commits the ones before, so the writer
/// never waits for its caller. Everything queued through one sequence applies in the
/// order queued, each batch atomically, and stops together: once a batch fails, no batch
/// queued after it through this sequence is appended.
///
/// ```swift
/// let sequence = log.appendSequence(duplicates: .skipExisting)
/// let first = sequence.enqueue(batches: firstBatches)
/// let second = sequence.enqueue(batches: nextBatches)   // queued while `first` commits
/// let results = try await first.results()
/// ```
public final class AppendSequence: Sendable {
    /// Whether an append of the sequence failed (set on the writer thread, in queue order)
    /// or the caller stopped it.
    final class State: Sendable {
        private let stopped = Atomic<Bool>(false)
        var isStopped: Bool { stopped.load(ordering: .relaxed) }
        func stop() { stopped.store(true, ordering: .relaxed) }
    }

    private let writer: GroupCommitWriter?
    private let duplicates: DuplicatePolicy
    private let state = State()

    init(writer: GroupCommitWriter?, duplicates: DuplicatePolicy) {
        self.writer = writer
        self.duplicates = duplicates
    }

    /// Stops the sequence from the caller's side, when it gives up for a reason of its own:
    /// appends queued through it that the writer has not begun are not appended (their
    /// results are empty), nor is anything queued after.
    public func stop() {
        state.stop()
    }

    /// Queues `batches` behind everything queued before, as
    /// ``EventLog/append(batches:duplicates:)`` appends them. An invalid batch is not
    /// handed over: the batches before it are, and its error follows their results.
    public func enqueue(batches: [[StreamAppend]]) -> QueuedAppend {
        let queued = QueuedAppend()
        guard let writer else {
            queued.complete(.failure(EventLogError.invalidEvent("the log was opened read-only")))
            return queued
        }
        var requests: [AppendRequest] = []
        requests.reserveCapacity(batches.count)
        var invalid: EventLogError?
        for appends in batches {
            let request = AppendRequest(appends: appends, duplicates: duplicates)
            do {
                try request.validate()
            } catch {
                invalid = error
                break
            }
            requests.append(request)
        }
        if requests.isEmpty && invalid == nil {
            queued.complete(.success([]))
            return queued
        }
        writer.enqueue(GroupCommitWriter.Pending(requests: requests, sequence: state, refused: invalid) {
            queued.complete($0)
        })
        return queued
    }
}

/// Batches queued through an ``AppendSequence``, and their results once committed.
public final class QueuedAppend: Sendable {
    private enum State {
        case waiting(CheckedContinuation<GroupCommitWriter.Outcome, Never>?)
        case done(GroupCommitWriter.Outcome)
    }
    private let state = Mutex(State.waiting(nil))

    init() {}

    fileprivate func complete(_ outcome: GroupCommitWriter.Outcome) {
        let waiter = state.withLock { state -> CheckedContinuation<GroupCommitWriter.Outcome, Never>? in
            guard case .waiting(let waiter) = state else { return nil }
            state = .done(outcome)
            return waiter
        }
        waiter?.resume(returning: outcome)
    }

    /// Waits until the batches are durable (or refused): a result per batch up to the
    /// one that failed, whose error is the last; no result at all when an append queued
    /// before these through the same sequence failed, so none of these was tried.
    ///
    /// - Throws: ``EventLogError/closed``, ``EventLogError/storage(_:)``: then nothing of
    ///   these batches was appended. Only one caller may wait.
    public func results() async throws(EventLogError) -> [Result<[AppendResult], EventLogError>] {
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<GroupCommitWriter.Outcome, Never>) in
            let done = state.withLock { state -> GroupCommitWriter.Outcome? in
                switch state {
                case .done(let outcome): return outcome
                case .waiting: state = .waiting(continuation); return nil
                }
            }
            if let done { continuation.resume(returning: done) }
        }
        do {
            return try outcome.get()
        } catch {
            throw EventLogError(error)
        }
    }
}
