public import SmartContentDomain

/// Schedules by id, the pending ones by publish time (what the scheduler fires), and
/// per workspace per UTC day.
///
/// Tables:
/// - `schedules`: scheduleId → ``ScheduleState``
/// - `due`: publishTime, scheduleId (pending schedules only, at their next occurrence)
/// - `by-day`: workspaceId, day, publishTime, scheduleId
/// - `by-content`: contentId, scheduleId (to cancel what deleted content leaves)
public struct ScheduleProjection: Projection {
    public static let name = "schedules"
    /// Milliseconds of its fold of the 1 M-event benchmark workload (2 cores).
    public static let foldCost = 140
    public static let foldsEngagement = false
    /// 2: a schedule's local time, recurrence and firings (``ScheduleState``).
    public static let formatVersion: UInt32 = 2
    public static let tables = ["schedules", "due", "by-day", "by-content"]

    public init() {}

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        var batch = Batch(store: store)
        for projected in events {
            switch projected.event {
            case .contentScheduled(let e):
                batch.create(ScheduleState(e))
            case .scheduleUpdated(let e):
                try batch.modify(e.scheduleId, projected.event)
            case .scheduleCancelled(let e):
                try batch.modify(e.scheduleId, projected.event)
            case .scheduleFired(let e):
                try batch.modify(e.scheduleId, projected.event)
            case .scheduleMissed(let e):
                try batch.modify(e.scheduleId, projected.event)
            case .contentPublished(let e):
                if let schedule = e.scheduleId { try batch.modify(schedule, projected.event) }
            case .contentDeleted(let e):
                for schedule in try batch.schedules(of: e.contentId) { try batch.modify(schedule, projected.event) }
            default:
                continue
            }
        }
        try batch.write()
    }

    /// A batch's changes, kept in memory and written at the end in key order, with what
    /// one write per event would leave: each schedule's last state, and of each index key
    /// the last thing done to it (a schedule published in the batch it was created in
    /// leaves no `due` entry to delete).
    private struct Batch {
        let store: ProjectionWriter
        var slots = SlotTable()
        /// `nil` when the store has none.
        var states: [ScheduleState?] = []
        var changed: [Bool] = []
        /// The index entries put (`true`) or deleted (`false`), the last change to each.
        var due: [IndexEntry: Bool] = [:]
        var byDay: [IndexEntry: Bool] = [:]
        var scheduledContent: [ContentID: [ScheduleID]] = [:]

        /// An index key without its bytes, built only for what is written: a schedule's
        /// slot, its publish time and (`by-day`) its workspace.
        struct IndexEntry: Hashable {
            var slot: Int
            var publishTime: Instant
            var workspace: WorkspaceID?
        }

        init(store: ProjectionWriter) { self.store = store }

        mutating func create(_ schedule: ScheduleState) {
            // Scheduling an id again replaces its row but, as it always has, leaves the
            // index entries of the schedule it replaces.
            let slot = slots.slot(schedule.scheduleId.rawValue)
            if slot < states.count {
                states[slot] = schedule
                changed[slot] = true
            } else {
                states.append(schedule)
                changed.append(true)
            }
            scheduledContent[schedule.contentId, default: []].append(schedule.scheduleId)
            index(schedule, slot)
        }

        mutating func modify(_ id: ScheduleID, _ event: DomainEvent) throws {
            let slot = try slot(id)
            guard let before = states[slot] else { return }
            var schedule = before
            schedule.apply(event)
            guard schedule != before else { return }
            due[IndexEntry(slot: slot, publishTime: before.publishTime)] = false
            byDay[IndexEntry(slot: slot, publishTime: before.publishTime, workspace: before.workspaceId)] = false
            states[slot] = schedule
            changed[slot] = true
            index(schedule, slot)
        }

        /// The schedules of `content`, stored or created in this batch.
        func schedules(of content: ContentID) throws -> [ScheduleID] {
            var ids = Set(scheduledContent[content] ?? [])
            try store.reader.scan("by-content", prefix: OrderedKey(content.rawValue)) { key, _ in
                var parts = OrderedKeyReader(key)
                _ = parts.string()
                ids.insert(ScheduleID(unchecked: parts.string()))
                return true
            }
            return ids.sorted { $0.rawValue < $1.rawValue }
        }

        private mutating func slot(_ id: ScheduleID) throws -> Int {
            let slot = slots.slot(id.rawValue)
            if slot < states.count { return slot }
            states.append(try store.value("schedules", OrderedKey(id.rawValue), as: ScheduleState.self))
            changed.append(false)
            return states.count - 1
        }

        private mutating func index(_ schedule: ScheduleState, _ slot: Int) {
            if schedule.status == .scheduled { due[IndexEntry(slot: slot, publishTime: schedule.publishTime)] = true }
            byDay[IndexEntry(slot: slot, publishTime: schedule.publishTime, workspace: schedule.workspaceId)] = true
        }

        func write() throws {
            var rows = RowBatch(capacity: states.count)
            for slot in states.indices where changed[slot] {
                if let state = states[slot] { rows.append(OrderedKey(slots[slot]), state) }
            }
            try store.putAll("schedules", rows)
            rows = RowBatch(capacity: scheduledContent.count)
            for (content, schedules) in scheduledContent {
                for schedule in schedules { rows.append(OrderedKey(content.rawValue, schedule.rawValue)) }
            }
            try store.putAll("by-content", rows)
            try write(due, to: "due") { ScheduleProjection.dueKey(publishTime: $0.publishTime, id: slots[$0.slot]) }
            try write(byDay, to: "by-day") {
                ScheduleProjection.dayKey(workspace: $0.workspace!, publishTime: $0.publishTime, id: slots[$0.slot])
            }
        }

        private func write(_ index: [IndexEntry: Bool], to table: String, key: (IndexEntry) -> OrderedKey) throws {
            // An empty table (a rebuild) has none of the keys to delete: no search for each.
            let deletes = try store.reader.count(table) > 0
            var puts = RowBatch(capacity: index.count)
            for (entry, present) in index {
                if present { puts.append(key(entry)) } else if deletes { try store.delete(table, key(entry)) }
            }
            try store.putAll(table, puts)
        }
    }

    static func dueKey(publishTime: Instant, id: String) -> OrderedKey {
        var key = OrderedKey()
        key.append(publishTime.millisecondsSince1970)
        key.append(id)
        return key
    }

    static func dayKey(workspace: WorkspaceID, publishTime: Instant, id: String) -> OrderedKey {
        var key = OrderedKey(workspace.rawValue)
        key.append(publishTime.utcDay)
        key.append(publishTime.millisecondsSince1970)
        key.append(id)
        return key
    }
}

extension ScheduleProjection {
    public struct Queries {
        let reader: ProjectionReader
        public init(_ reader: ProjectionReader) { self.reader = reader }

        public func schedule(_ id: ScheduleID) throws -> ScheduleState? {
            try reader.value("schedules", OrderedKey(id.rawValue), as: ScheduleState.self)
        }

        public func schedule(_ id: ScheduleID, in workspace: WorkspaceID) throws -> ScheduleState? {
            guard let schedule = try schedule(id), schedule.workspaceId == workspace else { return nil }
            return schedule
        }

        /// Pending schedules whose publish time is at or before `time`, earliest first.
        public func due(at time: Instant, limit: Int = 100) throws -> [ScheduleState] {
            var due: [ScheduleState] = []
            try reader.scan("due", prefix: OrderedKey()) { key, _ in
                var parts = OrderedKeyReader(key)
                if parts.int64() > time.millisecondsSince1970 || due.count == limit { return false }
                if let schedule = try schedule(ScheduleID(unchecked: parts.string())) { due.append(schedule) }
                return true
            }
            return due
        }

        /// The earliest publish time of a pending schedule.
        public func nextDue() throws -> Instant? {
            var first: Instant?
            try reader.scan("due", prefix: OrderedKey()) { key, _ in
                var parts = OrderedKeyReader(key)
                first = Instant(millisecondsSince1970: parts.int64())
                return false
            }
            return first
        }

        /// Pending schedules of `workspace` that deliver to `channel`, earliest first.
        public func pending(using channel: ChannelID, in workspace: WorkspaceID) throws -> [ScheduleState] {
            var pending: [ScheduleState] = []
            try reader.scan("due", prefix: OrderedKey()) { key, _ in
                var parts = OrderedKeyReader(key)
                _ = parts.int64()
                if let schedule = try schedule(ScheduleID(unchecked: parts.string())),
                   schedule.workspaceId == workspace, schedule.channels.contains(channel) {
                    pending.append(schedule)
                }
                return true
            }
            return pending
        }

        /// Schedules of `workspace` whose publish time falls on UTC days `fromDay…toDay`, in time order.
        public func list(
            in workspace: WorkspaceID, fromDay: Int64, toDay: Int64, limit: Int = Page<ScheduleState>.defaultLimit,
            cursor: [UInt8]? = nil
        ) throws -> Page<ScheduleState> {
            var start = OrderedKey(workspace.rawValue)
            start.append(fromDay)
            let prefix = OrderedKey(workspace.rawValue)
            var items: [ScheduleState] = []
            var lastKey: [UInt8]?
            var more = false
            try reader.scan("by-day", prefix: prefix, after: cursor ?? start.bytes) { key, _ in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                let day = parts.int64()
                if day < fromDay { return true }
                if day > toDay { return false }
                _ = parts.int64()
                if items.count == limit {
                    more = true
                    return false
                }
                if let schedule = try schedule(ScheduleID(unchecked: parts.string())) { items.append(schedule) }
                lastKey = Array(key)
                return true
            }
            return Page(items: items, nextCursor: more ? lastKey.map(PageCursor.encode) : nil)
        }
    }
}
