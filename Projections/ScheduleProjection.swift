public import SmartContentDomain

/// Schedules by id, the pending ones by publish time (what the scheduler fires), and
/// per workspace per UTC day.
///
/// Tables:
/// - `schedules`: scheduleId → ``ScheduleState``
/// - `due`: publishTime, scheduleId (pending schedules only)
/// - `by-day`: workspaceId, day, publishTime, scheduleId
/// - `by-content`: contentId, scheduleId (to cancel what deleted content leaves)
public struct ScheduleProjection: Projection {
    public static let name = "schedules"
    /// Milliseconds of its fold of the 1 M-event benchmark workload (2 cores).
    public static let foldCost = 220
    public static let foldsEngagement = false
    public static let tables = ["schedules", "due", "by-day", "by-content"]

    public init() {}

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        for projected in events {
            switch projected.event {
            case .contentScheduled(let e):
                let schedule = ScheduleState(e)
                try store.put("schedules", OrderedKey(e.scheduleId.rawValue), schedule)
                try store.put("by-content", OrderedKey(e.contentId.rawValue, e.scheduleId.rawValue))
                try index(schedule, store)
            case .scheduleUpdated(let e):
                try modify(e.scheduleId, projected.event, store)
            case .scheduleCancelled(let e):
                try modify(e.scheduleId, projected.event, store)
            case .contentPublished(let e):
                if let schedule = e.scheduleId { try modify(schedule, projected.event, store) }
            case .distributionDeadLettered, .distributionRequested:
                continue
            case .contentDeleted(let e):
                var pending: [ScheduleID] = []
                try store.reader.scan("by-content", prefix: OrderedKey(e.contentId.rawValue)) { key, _ in
                    var parts = OrderedKeyReader(key)
                    _ = parts.string()
                    pending.append(ScheduleID(unchecked: parts.string()))
                    return true
                }
                for schedule in pending { try modify(schedule, projected.event, store) }
            default:
                continue
            }
        }
    }

    private func modify(_ id: ScheduleID, _ event: DomainEvent, _ store: ProjectionWriter) throws {
        let key = OrderedKey(id.rawValue)
        guard var schedule = try store.value("schedules", key, as: ScheduleState.self) else { return }
        let before = schedule
        schedule.apply(event)
        guard schedule != before else { return }
        try unindex(before, store)
        try store.put("schedules", key, schedule)
        try index(schedule, store)
    }

    private func index(_ s: ScheduleState, _ store: ProjectionWriter) throws {
        if s.status == .scheduled { try store.put("due", Self.dueKey(s)) }
        try store.put("by-day", Self.dayKey(s))
    }

    private func unindex(_ s: ScheduleState, _ store: ProjectionWriter) throws {
        try store.delete("due", Self.dueKey(s))
        try store.delete("by-day", Self.dayKey(s))
    }

    static func dueKey(_ s: ScheduleState) -> OrderedKey {
        var key = OrderedKey()
        key.append(s.publishTime.millisecondsSince1970)
        key.append(s.scheduleId.rawValue)
        return key
    }

    static func dayKey(_ s: ScheduleState) -> OrderedKey {
        var key = OrderedKey(s.workspaceId.rawValue)
        key.append(s.publishTime.utcDay)
        key.append(s.publishTime.millisecondsSince1970)
        key.append(s.scheduleId.rawValue)
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
