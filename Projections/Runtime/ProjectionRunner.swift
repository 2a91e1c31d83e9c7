public import EventLog
import Foundation
public import SmartContentDomain
import Synchronization

/// Keeps every projection folded up to the log: catches up from each one's checkpoint,
/// then follows live appends. Each batch is read and decoded once and folded by all the
/// projections in parallel, each in one transaction of its own store that also moves its
/// checkpoint. A projection that throws is stopped and reported, keeping its checkpoint;
/// the others go on.
public final class ProjectionRunner: Sendable {
    /// Where one projection stands.
    public struct Status: Sendable, Hashable, Codable {
        public enum State: String, Sendable, Codable {
            case catchingUp = "catching_up"
            case live
            case failed
            case stopped
        }

        public var name: String
        public var checkpoint: UInt64
        /// Events of the log not yet folded.
        public var lag: UInt64
        public var state: State
        public var error: String?

        /// DESIGN's field names: `smartcontent projections` and `GET /v1/projections`.
        enum CodingKeys: String, CodingKey {
            case name, checkpoint, lag, error
            case state = "status"
        }
    }

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

    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        case timeout(position: UInt64, reached: UInt64)
        case projectionFailed(name: String, reason: String)
        case unknownProjection(String)
        /// The runner was stopped while a read waited for it.
        case stopped(name: String)
        /// A read asked for a position the log does not hold: no write ever returned it, so
        /// waiting would only end in a timeout.
        case beyondLog(position: UInt64, last: UInt64)

        public var description: String {
            switch self {
            case .timeout(let position, let reached):
                "timed out waiting for the projections to reach position \(position) (they are at \(reached))"
            case .projectionFailed(let name, let reason): "projection \(name) has failed: \(reason)"
            case .unknownProjection(let name): "no projection is named '\(name)'"
            case .stopped(let name): "projection \(name) was stopped"
            case .beyondLog(let position, let last): "position \(position) is beyond the end of the log (\(last))"
            }
        }
    }

    public let log: EventLog
    let slots: [Slot]
    let batchSize: Int
    /// Applied to each decoded event that carries personal data before the projections
    /// see it: the engine opens the sealed fields there (a runner of your own over an
    /// engine's log wants `reading: engine.vault.open`, or its read models hold sealed
    /// strings). Other events, nearly all of a log, skip the call.
    let reading: @Sendable (DomainEvent) throws -> DomainEvent
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// Called after each batch folded in the background (``start()``), with the position
    /// every projection still folding has reached.
    private let afterFolding: @Sendable (UInt64) -> Void
    private let stopped = Atomic<Bool>(false)
    /// Events of types outside the catalog seen so far: reported, never folded.
    let unknownEvents = Atomic<Int>(0)
    private let lastUnknownType = Mutex<String?>(nil)
    /// Why the last read of the log failed, while it keeps failing; retried, not fatal.
    private let readFailure = Mutex<String?>(nil)
    /// Projections whose checkpoint was beyond the end of the log when opened (a log that
    /// lost its last commits, say after a machine crash in `nosync` mode), or whose rows
    /// are of another ``Projection/formatVersion``: emptied and folded again.
    public let resetOnOpen: [String]

    /// Events folded per transaction while catching up. The projections with the most rows
    /// sum a batch in memory and write each touched row once, in key order (appended past
    /// the table's last key), so a larger batch writes less: a fold of 1 M events into empty
    /// stores took 4.0 s at 262,144 and 2.8–3.2 s at 1,048,576 (one build, before later
    /// decoding work), ~0.7 GB resident either way. Decoded events are 136 bytes each
    /// (~140 MB at 1,048,576); the rest is mostly the maps of the files. Live, a batch is
    /// whatever was appended since the last one.
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
            task = Task { await self.run() }
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

    private func run() async {
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

    /// Folds one batch into every projection that needs it; `false` when there was nothing to do.
    public func step(until limit: UInt64 = .max) throws -> Bool {
        let active = slots.filter { !$0.isFailed }
        guard let from = active.map({ $0.checkpoint.head }).min(), from < limit else { return false }
        let skipsEngagement = active.contains { !type(of: $0.projection).foldsEngagement }
        var batch = try readBatch(after: from, until: limit, head: try log.lastPosition(), keepingActions: skipsEngagement)
        guard let last = batch.scannedThrough else { return false }
        let longestFirst = Self.longestFirst(active)
        let actions = batch.actions
        // The last of the folds handed the whole batch (those of engagement) frees it while
        // the folds of the other events go on: freeing a million events took ~60 ms, alone
        // on one core at the end.
        let events = BatchEvents(batch.events, folds: active.count { type(of: $0.projection).foldsEngagement })
        batch.events = []
        DispatchQueue.concurrentPerform(iterations: longestFirst.count) { index in
            let slot = longestFirst[index]
            if type(of: slot.projection).foldsEngagement {
                fold(slot, events.all, through: last)
                events.foldEnded()
            } else {
                fold(slot, actions, through: last)
            }
        }
        return true
    }

    /// Folds `events` (those of the batch it is handed) past the slot's checkpoint, through `last`.
    private func fold(_ slot: Slot, _ events: [ProjectedEvent], through last: UInt64) {
        let checkpoint = slot.checkpoint.head
        guard checkpoint < last else { return }
        let start = events.partitionPoint { $0.position <= checkpoint }
        let began = ContinuousClock.now
        defer { slot.measure(since: began, positions: last - checkpoint) }
        do {
            if let moved = try slot.store.write(from: checkpoint, through: last, { writer in
                try slot.projection.apply(events[start...], to: writer)
            }) {
                // Another process folded this store further: take its word for it.
                slot.checkpoint.advance(to: moved)
            } else {
                slot.checkpoint.advance(to: last)
            }
        } catch {
            slot.failure.withLock {
                $0 = "folding positions \(checkpoint + 1)–\(last): \(error)"
            }
        }
    }

    /// The slots in the order their folds should start: the longest first. `concurrentPerform`
    /// hands out iterations in order, so a long fold started last would run alone while the
    /// other cores idle (a 1 M-event rebuild ended with audit's 0.33 s on one core).
    static func longestFirst(_ slots: [Slot]) -> [Slot] {
        let measured = slots.allSatisfy { $0.measuredCost.load(ordering: .relaxed) > 0 }
        let costs = slots.map { slot in
            measured ? slot.measuredCost.load(ordering: .relaxed) : UInt64(max(0, type(of: slot.projection).foldCost))
        }
        // Stable: equal costs keep the order the projections were given in.
        return slots.indices.sorted { (costs[$0], -$0) > (costs[$1], -$1) }.map { slots[$0] }
    }

    /// A batch's events while its folds run; freed when the last of them ends.
    final class BatchEvents: Sendable {
        private let events: Mutex<[ProjectedEvent]>
        private let running: Atomic<Int>

        init(_ events: [ProjectedEvent], folds: Int) {
            self.events = Mutex(events)
            running = Atomic(folds)
        }

        var all: [ProjectedEvent] { events.withLock { $0 } }

        func foldEnded() {
            guard running.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return }
            // Freed here, under the lock: every fold that reads the events has taken them.
            events.withLock { $0 = [] }
        }
    }

    struct Batch {
        var events: [ProjectedEvent]
        /// The events other than engagement, for the projections that ignore it (when asked for).
        var actions: [ProjectedEvent] = []
        /// Events of types outside the catalog, skipped.
        var unknown = 0
        /// The last position read, events of unknown types included: checkpoints move
        /// past those too.
        var scannedThrough: UInt64?
    }

    /// Reads and decodes the events after `position`, up to `batchSize` of them and no
    /// further than `limit` or `head`. Positions are dense, so a large batch is split into
    /// ranges decoded in parallel, each in a snapshot of its own and straight into its own
    /// part of the batch's storage: decoding is the one part of a fold that every
    /// projection waits for.
    private func readBatch(after position: UInt64, until limit: UInt64, head: UInt64, keepingActions: Bool) throws -> Batch {
        let last = min(limit, head, position + UInt64(batchSize))
        guard last > position else { return Batch(events: [], scannedThrough: nil) }
        let count = Int(last - position)
        let parts = count >= 8192 ? ProcessInfo.processInfo.activeProcessorCount : 1
        let size = (count + parts - 1) / parts
        var ranges = [RangeRead](repeating: RangeRead(), count: parts)
        var firstFailure: (any Error)?
        var actions: [ProjectedEvent] = []
        let events = [ProjectedEvent](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Room for every event in the actions too, as each range may hold nothing but
            // actions: only the pages written to are ever backed by memory.
            actions = [ProjectedEvent](unsafeUninitializedCapacity: keepingActions ? count : 0) { actionBuffer, actionsInitialized in
                // An empty array's buffer still has an address: it must not be written to.
                let storage = DecodeTarget(events: buffer.baseAddress!, actions: keepingActions ? actionBuffer.baseAddress : nil)
                let results = Mutex(ranges)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    // On many cores the last parts may start past the batch: they read nothing.
                    guard part * size < count else { return }
                    let from = position + UInt64(part * size)
                    let through = min(last, from + UInt64(size))
                    var range = RangeRead()
                    Self.backWithMemory(storage.events + part * size, count: min(size, count - part * size))
                    do {
                        try readRange(after: from, through: through, into: storage.events + part * size,
                                      actions: storage.actions.map { $0 + part * size }, &range)
                    } catch {
                        range.failure = error
                    }
                    results.withLock { $0[part] = range }
                }
                ranges = results.withLock { $0 }
                initialized = Self.closeGaps(in: buffer.baseAddress!, rangeSize: size, count: count, filled: ranges.map(\.decoded))
                if keepingActions, let base = actionBuffer.baseAddress {
                    actionsInitialized = Self.closeGaps(in: base, rangeSize: size, count: count, filled: ranges.map(\.actions))
                }
                firstFailure = ranges.lazy.compactMap(\.failure).first
            }
        }
        if let firstFailure { throw firstFailure }
        var batch = Batch(events: events, actions: actions, scannedThrough: nil)
        for range in ranges {
            batch.unknown += range.unknown
            if let scanned = range.scannedThrough { batch.scannedThrough = scanned }
        }
        // Counted once the whole batch was read: a failed read is retried.
        if batch.unknown > 0 { unknownEvents.add(batch.unknown, ordering: .relaxed) }
        return batch
    }

    /// Backs the slots with memory in one call before they are written, rather than one
    /// 4 KB fault at a time: 28,000 fewer faults in a fold of 1 M events; decoding measured
    /// ~20 ms shorter, the whole fold within the noise (the kernel clears the pages either way). `MADV_POPULATE_WRITE` needs
    /// Linux 5.14; older kernels refuse it and fault as before.
    private static func backWithMemory(_ slots: UnsafeMutablePointer<ProjectedEvent>, count: Int) {
        #if os(Linux)
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let start = (UInt(bitPattern: slots) + page - 1) & ~(page - 1)
        let end = UInt(bitPattern: slots + count) & ~(page - 1)
        guard end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { return }
        let populateWrite: Int32 = 23
        _ = madvise(address, Int(end - start), populateWrite)
        #endif
    }

    /// Moves the filled start of each range's slots down behind the previous range's (the
    /// gaps unknown or unread events left); returns how many are filled in all.
    private static func closeGaps(
        in base: UnsafeMutablePointer<ProjectedEvent>, rangeSize: Int, count: Int, filled: [Int]
    ) -> Int {
        var end = 0
        for part in filled.indices where part * rangeSize < count {
            if end != part * rangeSize { (base + end).moveInitialize(from: base + part * rangeSize, count: filled[part]) }
            end += filled[part]
        }
        return end
    }

    /// Where one range of a batch is decoded to. Each range writes only its own slots,
    /// `[part × size, part × size + decoded)` of `events` and `[part × size, part × size +
    /// actions)` of `actions`, and the batch reads them only after `concurrentPerform` has
    /// returned, so no slot is ever touched by two threads at once.
    private struct DecodeTarget: @unchecked Sendable {
        let events: UnsafeMutablePointer<ProjectedEvent>
        /// `nil` when no projection wants the actions apart.
        let actions: UnsafeMutablePointer<ProjectedEvent>?
    }

    /// What reading one range of a batch gave.
    private struct RangeRead {
        /// Events initialized at the start of the range's slots.
        var decoded = 0
        /// Copies of its events other than engagement initialized at the start of its action slots.
        var actions = 0
        var unknown = 0
        var scannedThrough: UInt64?
        var failure: (any Error)?
    }

    private func readRange(
        after position: UInt64, through last: UInt64, into slots: UnsafeMutablePointer<ProjectedEvent>,
        actions actionSlots: UnsafeMutablePointer<ProjectedEvent>?, _ range: inout RangeRead
    ) throws {
        guard last > position else { return }
        try log.withSnapshot { snapshot in
            try snapshot.forEach(from: position + 1) { view in
                if view.position > last { return false }
                range.scannedThrough = view.position
                let event: DomainEvent
                do {
                    let decoded = try EventCatalog.decode(view)
                    event = decoded.carriesPersonalData ? try reading(decoded) : decoded
                } catch EventCatalog.Failure.unknownType(let type) {
                    range.unknown += 1
                    lastUnknownType.withLock { $0 = type }
                    return true
                }
                let actor = try Self.actor(of: view)
                let slot = slots + range.decoded
                slot.initialize(to: ProjectedEvent(
                    position: view.position, recordedAt: Instant(millisecondsSince1970: view.recordedAt), actor: actor,
                    event: event))
                range.decoded += 1
                if let actionSlots, !event.isEngagement {
                    (actionSlots + range.actions).initialize(to: slot.pointee)
                    range.actions += 1
                }
                return true
            }
        }
    }

    static func actor(of view: EventView) throws -> String? {
        view.metadataValue(forKey: "actor")
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
        if position > log.head.head, let last = try? log.lastPosition(), position > last {
            throw .beyondLog(position: position, last: last)
        }
        let deadline = ContinuousClock.now + timeout
        let running = task.withLock { $0 != nil }
        for slot in waited {
            while slot.checkpoint.head < position {
                if let failure = slot.failure.withLock({ $0 }) { throw .projectionFailed(name: slot.name, reason: failure) }
                if slot.checkpoint.isClosed { throw .stopped(name: slot.name) }
                if !running, let stored = try? slot.store.checkpoint() {
                    // Another process (a server) may be folding this store.
                    slot.checkpoint.advance(to: stored)
                    if stored >= position { break }
                }
                let remaining = deadline - ContinuousClock.now
                if remaining <= .zero || Task.isCancelled {
                    throw .timeout(position: position, reached: slot.checkpoint.head)
                }
                await slot.checkpoint.wait(forHeadAbove: position - 1, timeout: min(remaining, .milliseconds(50)))
            }
        }
    }

    /// Folds everything up to `position` now, on the calling thread (for tools and tests
    /// that do not start the background runner).
    public func catchUp(until position: UInt64 = .max) throws {
        while try step(until: position) {}
    }
}

extension Array {
    /// The index of the first element for which `belongs` is false, in a partitioned array.
    func partitionPoint(_ belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension DomainEvent {
    fileprivate var isEngagement: Bool {
        if case .engagementRecorded = self { true } else { false }
    }
}
