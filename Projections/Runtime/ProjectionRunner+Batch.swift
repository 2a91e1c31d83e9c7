import EventLog
import Foundation
import SmartContentDomain
import Synchronization

/// Reading, decoding and folding one batch.
extension ProjectionRunner {
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
        // the folds of the other events go on, rather than alone on one core at the end.
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
    /// other cores idle.
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
    /// page fault at a time. `MADV_POPULATE_WRITE` needs Linux 5.14; older kernels refuse
    /// it and fault as before.
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
