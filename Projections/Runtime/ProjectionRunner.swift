public import EventLog
import Foundation
public import SmartContentDomain
import Synchronization

/// Keeps every projection folded up to the log: catches up from each one's checkpoint,
/// then follows live appends. Each batch is read and decoded once and folded by all the
/// projections in parallel, each in one transaction of its own store that also moves its
/// checkpoint. A projection that throws is stopped and reported, keeping its checkpoint;
/// the others go on.
///
/// Run it as a `Service` (``run()``) in a service group, or ``start()`` it and
/// ``close()`` it yourself; tools fold on the calling thread with ``catchUp(until:)``.
public final class ProjectionRunner: Sendable {
    final class Slot: Sendable {
        let projection: any Projection
        let store: ProjectionStore
        let checkpoint: PositionWatcher
        let failure = Mutex<String?>(nil)
        /// Picoseconds per log position of its last fold; 0 until it has folded a batch.
        let measuredCost = Atomic<UInt64>(0)

        init(projection: any Projection, store: ProjectionStore) throws {
            self.projection = projection
            self.store = store
            checkpoint = PositionWatcher(head: try store.checkpoint())
        }

        var name: String { type(of: projection).name }

        /// Per position of the log, not per event handed: a projection that ignores
        /// engagement is handed a fifth of the events, and its cost per event handed made it
        /// look five times as long as it is.
        func measure(since began: ContinuousClock.Instant, positions: UInt64) {
            let elapsed = (ContinuousClock.now - began).components
            let picoseconds = UInt64(elapsed.seconds) * 1_000_000_000_000 + UInt64(elapsed.attoseconds / 1_000_000)
            measuredCost.store(max(1, picoseconds / max(1, positions)), ordering: .relaxed)
        }
        var isFailed: Bool { failure.withLock { $0 != nil } }
    }

    /// Not public: a runner that the engine's `rebuild(into:)` returns must not hand out
    /// the engine's log.
    package let log: EventLog
    let slots: [Slot]
    let batchSize: Int
    /// Applied to each decoded event that carries personal data before the projections
    /// see it: the engine opens the sealed fields there with its vault, or its read models
    /// would hold sealed strings. Other events, nearly all of a log, skip the call.
    let reading: @Sendable (DomainEvent) throws -> DomainEvent
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// Called after each batch folded in the background (``start()``), with the position
    /// every projection still folding has reached.
    private let afterFolding: @Sendable (UInt64) -> Void
    private let stopped = Atomic<Bool>(false)
    /// Events of types outside the catalog seen so far: reported, never folded.
    let unknownEvents = Atomic<Int>(0)
    let lastUnknownType = Mutex<String?>(nil)
    /// Why the last read of the log failed, while it keeps failing; retried, not fatal.
    private let readFailure = Mutex<String?>(nil)
    /// Projections whose checkpoint was beyond the end of the log when opened (a log that
    /// lost its last commits, say after a machine crash in `nosync` mode), or whose rows
    /// are of another ``Projection/formatVersion``: emptied and folded again.
    public let resetOnOpen: [String]

    /// Events folded per transaction while catching up. The projections with the most rows
    /// sum a batch in memory and write each touched row once, in key order, so a larger
    /// batch writes less; memory grows with it (`Benchmarks/RESULTS.md` has the figures).
    /// Live, a batch is whatever was appended since the last one.
    public static let defaultBatchSize = 1 << 20

    /// Opens the store of each projection under `directory/<name>`.
    public init(
        log: EventLog, projections: [any Projection], directory: String, batchSize: Int = defaultBatchSize,
        reading: @escaping @Sendable (DomainEvent) throws -> DomainEvent = { $0 },
        afterFolding: @escaping @Sendable (UInt64) -> Void = { _ in }
    ) throws {
        precondition(batchSize > 0, "a batch holds at least one event")
        self.log = log
        self.afterFolding = afterFolding
        self.batchSize = batchSize
        self.reading = reading
        let last = try log.lastPosition()
        var reset: [String] = []
        slots = try projections.map { projection in
            let type = type(of: projection)
            let store = try ProjectionStore(name: type.name, tables: type.tables, directory: directory + "/" + type.name)
            // State folded from events the log no longer has cannot be trusted, and rows
            // of another layout cannot be read: both are folded again from the log.
            let stale = try store.formatVersion() != type.formatVersion && store.checkpoint() > 0
            if try stale || store.checkpoint() > last {
                try store.reset()
                reset.append(type.name)
            }
            if try store.formatVersion() != type.formatVersion { try store.setFormatVersion(type.formatVersion) }
            return try Slot(projection: projection, store: store)
        }
        resetOnOpen = reset
    }

    public var names: [String] { slots.map(\.name) }

    public func store(named name: String) throws(Failure) -> ProjectionStore {
        guard let slot = slots.first(where: { $0.name == name }) else { throw .unknownProjection(name) }
        return slot.store
    }

    // MARK: Running

    /// Whether it follows the log in the background (``start()``).
    public var isRunning: Bool { task.withLock { $0 != nil } }

    /// Starts following the log in the background.
    public func start() {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { await self.follow() }
        }
    }

    /// Stops, then closes every store.
    public func close() async {
        await stop()
        for slot in slots { slot.store.close() }
    }

    /// Stops after the batch in flight; checkpoints stay where they are.
    public func stop() async {
        stopped.store(true, ordering: .relaxed)
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
        for slot in slots { slot.checkpoint.close() }
    }

    private func follow() async {
        while !stopped.load(ordering: .relaxed) && !Task.isCancelled {
            let progressed: Bool
            do {
                progressed = try await log.offload { try self.step() }
                readFailure.withLock { $0 = nil }
            } catch EventLogError.closed {
                return
            } catch {
                // Reading the log failed (readers full, a record this build cannot decode):
                // reported in the status and retried, since it may pass.
                readFailure.withLock { $0 = "reading the log: \(error)" }
                try? await Task.sleep(for: .milliseconds(500))
                continue
            }
            let from = slots.filter { !$0.isFailed }.map { $0.checkpoint.head }.min() ?? log.head.head
            if progressed { afterFolding(from) }
            if !progressed {
                if slots.allSatisfy(\.isFailed) {
                    try? await Task.sleep(for: .milliseconds(200))
                } else {
                    await log.head.wait(forHeadAbove: from, timeout: .milliseconds(100))
                }
            }
        }
    }

    /// Folds everything up to `position` now, on the calling thread (for tools and tests
    /// that do not start the background runner).
    public func catchUp(until position: UInt64 = .max) throws {
        while try step(until: position) {}
    }

    /// After its stores were emptied, starts the named projections' checkpoints over.
    package func resetCheckpoints(_ names: [String]?) throws {
        for slot in slots where names?.contains(slot.name) ?? true {
            slot.checkpoint.reset(to: try slot.store.checkpoint())
            slot.failure.withLock { $0 = nil }
        }
    }

    // MARK: Status and read-your-writes

    public func status() -> [Status] {
        let head = (try? log.lastPosition()) ?? log.head.head
        let readFailure = readFailure.withLock { $0 }
        return slots.map { slot in
            let checkpoint = slot.checkpoint.head
            let failure = slot.failure.withLock { $0 } ?? readFailure
            let state: Status.State = failure != nil ? .failed
                : stopped.load(ordering: .relaxed) ? .stopped
                : checkpoint >= head ? .live : .catchingUp
            return Status(name: slot.name, checkpoint: checkpoint, lag: head > checkpoint ? head - checkpoint : 0,
                          state: state, error: failure)
        }
    }

    /// Events of types outside the catalog met so far, and the last such type.
    public var unknownEventReport: (count: Int, lastType: String?) {
        (unknownEvents.load(ordering: .relaxed), lastUnknownType.withLock { $0 })
    }

    /// Waits until `projection` (or every projection) has folded `position`, at most `timeout`.
    ///
    /// - Throws: ``Failure/timeout(position:reached:)``, or ``Failure/projectionFailed(name:reason:)``
    ///   when a projection it waits for has stopped.
    public func waitUntil(position: UInt64, projection: String? = nil, timeout: Duration = .seconds(5)) async throws(Failure) {
        let waited = try projection.map { name throws(Failure) in
            guard let slot = slots.first(where: { $0.name == name }) else { throw .unknownProjection(name) }
            return [slot]
        } ?? slots
        try checkHeld(position)
        let deadline = ContinuousClock.now + timeout
        for slot in waited {
            guard try await wait(for: slot, toReach: position, before: deadline) else {
                throw .timeout(position: position, reached: slot.checkpoint.head)
            }
        }
    }

    /// Waits, however long it takes, until every projection has folded `position`: what a
    /// server waits for before it says it is ready.
    ///
    /// - Throws: ``Failure/projectionFailed(name:reason:)`` when a projection stops on an
    ///   error, ``Failure/stopped(name:)`` when the runner stops first, ``Failure/beyondLog(position:last:)``,
    ///   or `CancellationError` when the task is cancelled.
    public func caughtUp(to position: UInt64) async throws {
        try checkHeld(position)
        for slot in slots {
            guard try await wait(for: slot, toReach: position, before: nil) else { throw CancellationError() }
        }
    }

    /// A position no write ever returned can only end a wait in a timeout.
    private func checkHeld(_ position: UInt64) throws(Failure) {
        if position > log.head.head, let last = try? log.lastPosition(), position > last {
            throw .beyondLog(position: position, last: last)
        }
    }

    /// Waits until `slot` has folded `position`; `false` when the deadline passed or the
    /// task was cancelled first. Woken by each checkpoint it passes, and every 50 ms to see
    /// whether the projection failed or, when this runner is not folding, whether another
    /// process (a server) folded its store.
    private func wait(for slot: Slot, toReach position: UInt64, before deadline: ContinuousClock.Instant?) async throws(Failure) -> Bool {
        while slot.checkpoint.head < position {
            if let failure = slot.failure.withLock({ $0 }) { throw .projectionFailed(name: slot.name, reason: failure) }
            if slot.checkpoint.isClosed { throw .stopped(name: slot.name) }
            // Asked each round: a wait begun just before the runner starts (the server's
            // readiness) stops reading the stores once it folds.
            if !isRunning, let stored = try? slot.store.checkpoint() {
                slot.checkpoint.advance(to: stored)
                if stored >= position { return true }
            }
            let remaining = deadline.map { $0 - ContinuousClock.now } ?? .milliseconds(50)
            if remaining <= .zero || Task.isCancelled { return false }
            await slot.checkpoint.wait(forHeadAbove: position - 1, timeout: min(remaining, .milliseconds(50)))
        }
        return true
    }
}
