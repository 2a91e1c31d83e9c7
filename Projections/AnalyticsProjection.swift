import EventLog
public import SmartContentDomain

/// Engagement per kind, kept in thousandths so that sums are exact and do not depend on
/// the order or batching of the fold: views, clicks, shares and engagement as sums of
/// `value` (1 when absent); conversions as a count, and their values (0 when absent) apart.
public struct EngagementCounters: Hashable, Sendable, BinaryCodable {
    public var views: Int64 = 0
    public var clicks: Int64 = 0
    public var shares: Int64 = 0
    public var engagement: Int64 = 0
    /// How many conversions, in thousandths.
    public var conversions: Int64 = 0
    /// What they were worth.
    public var conversionValue: Int64 = 0

    public init() {}

    public static let scale: Double = 1000

    /// `milli`: ``milli(of:)`` of the engagement.
    public mutating func add(_ kind: EngagementKind, milli: Int64) {
        switch kind {
        case .view: views = Self.sum(views, milli)
        case .click: clicks = Self.sum(clicks, milli)
        case .share: shares = Self.sum(shares, milli)
        case .engagement: engagement = Self.sum(engagement, milli)
        case .conversion:
            conversions = Self.sum(conversions, 1000)
            conversionValue = Self.sum(conversionValue, milli)
        }
    }

    /// What an engagement adds, in thousandths: its value (1 when absent), or for a
    /// conversion the value it was worth (0 when absent; the count is added apart).
    @inline(__always)
    public static func milli(of engagement: EngagementRecorded) -> Int64 {
        engagement.kind == .conversion ? milli(engagement.value ?? 0) : milli(engagement.effectiveValue)
    }

    public mutating func add(_ other: EngagementCounters) {
        views = Self.sum(views, other.views)
        clicks = Self.sum(clicks, other.clicks)
        shares = Self.sum(shares, other.shares)
        engagement = Self.sum(engagement, other.engagement)
        conversions = Self.sum(conversions, other.conversions)
        conversionValue = Self.sum(conversionValue, other.conversionValue)
    }

    /// Saturates instead of trapping: no total, however absurd, may stop a fold.
    @inline(__always)
    static func sum(_ a: Int64, _ b: Int64) -> Int64 {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : result
    }

    /// Every kind together.
    public var total: Int64 { Self.sum(interactions, conversions) }
    /// Interactions without conversions (whose values may be money): what ranks top
    /// content and posting times.
    public var interactions: Int64 { Self.sum(Self.sum(views, clicks), Self.sum(shares, engagement)) }

    /// Thousandths, clamped: a value the catalog would refuse today (an old or hand-made
    /// record) must never stop a fold.
    public static func milli(_ value: Double) -> Int64 {
        guard value.isFinite else { return 0 }
        return Int64(max(-9e15, min(9e15, (value * scale).rounded())))
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(views); w.write(clicks); w.write(shares); w.write(engagement); w.write(conversions); w.write(conversionValue)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        views = try r.read(); clicks = try r.read(); shares = try r.read(); engagement = try r.read()
        conversions = try r.read(); conversionValue = try r.read()
    }
}

/// ``EngagementCounters`` as clients see them: plain numbers.
public struct EngagementTotals: Hashable, Sendable, Codable {
    public var views: Double
    public var clicks: Double
    public var shares: Double
    public var engagement: Double
    public var conversions: Double
    public var conversionValue: Double

    public init(_ counters: EngagementCounters) {
        views = Double(counters.views) / EngagementCounters.scale
        clicks = Double(counters.clicks) / EngagementCounters.scale
        shares = Double(counters.shares) / EngagementCounters.scale
        engagement = Double(counters.engagement) / EngagementCounters.scale
        conversions = Double(counters.conversions) / EngagementCounters.scale
        conversionValue = Double(counters.conversionValue) / EngagementCounters.scale
    }
}

/// Daily analytics: per content per UTC day, per workspace per day (dashboard, trends),
/// per workspace per day per content and per hour (top content and best posting times
/// of a range), all-time per content and per workspace per hour of the week.
///
/// Tables:
/// - `content-workspace`: contentId → workspaceId (from ContentCreated)
/// - `daily`: contentId, day → counters
/// - `content-totals`: contentId → counters
/// - `workspace-daily`: workspaceId, day → counters
/// - `workspace-content`: workspaceId, contentId → counters
/// - `hour-of-week`: workspaceId, hour (0 = Monday 00:00 UTC … 167) → counters
/// - `workspace-day-content`: workspaceId, day, contentId → counters
/// - `workspace-hourly`: workspaceId, day, hour of the day (UTC) → counters
public struct AnalyticsProjection: Projection {
    public static let name = "analytics"
    /// 2: conversions counted apart from their values. 3: the ranged tables.
    public static let formatVersion: UInt32 = 3
    /// Milliseconds of its fold of the 1 M-event benchmark workload (2 cores).
    public static let foldCost = 420
    public static let tables = ["content-workspace", "daily", "content-totals", "workspace-daily", "workspace-content",
                                "hour-of-week", "workspace-day-content", "workspace-hourly"]

    public init() {}

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        // Deltas of this batch, summed in memory, then added to the stored rows once each.
        // Contents and workspaces get small integer slots for the batch, and what an
        // engagement adds to its content sits in one place (`ContentSums`): one id lookup
        // per event, and the other reads stay in cache.
        var contentSlots = SlotTable()
        var contents: [ContentSums] = []
        // What contents whose workspace became known or changed during the batch counted
        // from then on.
        var lateWorkspaceSums: [EngagementCounters?] = []
        // What contents created again in another workspace had counted for the one they left.
        var leftWorkspaces: [(workspace: Int32, content: Int, sums: EngagementCounters)] = []
        var workspaceIndex: [WorkspaceID: Int] = [:]
        var workspaces: [WorkspaceID] = []
        // Per content and day: one entry per engagement, sorted once the batch is read.
        var dayDeltas: [EngagementDelta] = []
        dayDeltas.reserveCapacity(events.count)
        // Per workspace and day. The log runs in time order, so each workspace remembers
        // where its last day's sums are and the dictionary is asked once per day it meets.
        var workspaceDailyIndex: [Int64: Int] = [:]
        var workspaceDaily: [EngagementCounters] = []
        var lastDay: [(day: Int64, index: Int)] = []
        // The workspace of each content created in this batch, for `content-workspace`.
        var createdIn = RowBatch()
        // By workspace slot × 168 + hour.
        var hours: [EngagementCounters?] = []
        // Per workspace-day (an index of `workspaceDaily`) and content slot.
        var workspaceDayDeltas: [EngagementDelta] = []
        // By workspace-day index × 24 + hour of the day.
        var dayHours: [EngagementCounters?] = []

        func workspaceSlot(_ id: WorkspaceID) -> Int {
            if let slot = workspaceIndex[id] { return slot }
            workspaceIndex[id] = workspaces.count
            workspaces.append(id)
            hours.append(contentsOf: repeatElement(nil, count: 168))
            lastDay.append((.min, 0))
            return workspaces.count - 1
        }

        /// `workspace`: the content's, when this event says it; otherwise looked up in the
        /// store the first time the batch meets the content.
        func contentSlot(_ id: ContentID, workspace: WorkspaceID? = nil) throws -> Int {
            let slot = contentSlots.slot(id.rawValue)
            if slot < contents.count { return slot }
            let workspace = try workspace ?? store.value("content-workspace", OrderedKey(id.rawValue), as: WorkspaceID.self)
            contents.append(ContentSums(workspace: workspace.map(workspaceSlot)))
            return slot
        }

        func workspaceDay(_ workspace: Int, _ day: Int64) -> Int {
            if lastDay[workspace].day == day { return lastDay[workspace].index }
            let key = Int64(workspace) << 32 | (day & 0xFFFF_FFFF)
            let index = workspaceDailyIndex[key] ?? {
                workspaceDailyIndex[key] = workspaceDaily.count
                workspaceDaily.append(EngagementCounters())
                dayHours.append(contentsOf: repeatElement(nil, count: 24))
                return workspaceDaily.count - 1
            }()
            lastDay[workspace] = (day, index)
            return index
        }

        for projected in events {
            switch projected.event {
            case .contentCreated(let e):
                createdIn.append(OrderedKey(e.contentId.rawValue), e.workspaceId)
                let slot = try contentSlot(e.contentId, workspace: e.workspaceId)
                let workspace = Int32(workspaceSlot(e.workspaceId))
                let before = contents[slot].workspace
                if before != workspace {
                    // Its row in the workspace it leaves keeps what was counted there, as a
                    // fold event by event would have it; the new one counts from here on.
                    if before >= 0, let counted = contents[slot].countedInWorkspace(late: lateWorkspaceSums) {
                        leftWorkspaces.append((before, slot, counted))
                    }
                    contents[slot].lateSums = Int32(lateWorkspaceSums.count)
                    lateWorkspaceSums.append(nil)
                }
                contents[slot].workspace = workspace
            case .engagementRecorded(let e):
                let milli = EngagementCounters.milli(of: e)
                let content = try contentSlot(e.contentId)
                let day = e.occurredAt.utcDay
                dayDeltas.append(EngagementDelta(high: content, low: EngagementDelta.low(day: day), kind: e.kind, milli: milli))
                contents[content].totals.add(e.kind, milli: milli)
                contents[content].engaged = true
                let workspace = Int(contents[content].workspace)
                if workspace >= 0 {
                    if contents[content].lateSums >= 0 {
                        lateWorkspaceSums[Int(contents[content].lateSums), default: EngagementCounters()].add(e.kind, milli: milli)
                    }
                    let workspaceDay = workspaceDay(workspace, day)
                    workspaceDaily[workspaceDay].add(e.kind, milli: milli)
                    workspaceDayDeltas.append(EngagementDelta(high: workspaceDay, low: UInt32(content), kind: e.kind, milli: milli))
                    dayHours[workspaceDay * 24 + Self.hourOfDay(e.occurredAt), default: EngagementCounters()].add(e.kind, milli: milli)
                    hours[workspace * 168 + Int(Self.hourOfWeek(e.occurredAt)), default: EngagementCounters()]
                        .add(e.kind, milli: milli)
                }
            default:
                continue
            }
        }

        try store.putAll("content-workspace", createdIn)

        var key = OrderedKey()
        /// `id` and what `rest` appends, built in one buffer for every row.
        func rowKey(_ id: String, _ rest: (inout OrderedKey) -> Void = { _ in }) -> OrderedKey {
            key.removeAll()
            key.append(id)
            rest(&key)
            return key
        }

        // By content in key order, then by day: the rows come out in the table's order.
        let contentOrder = contentSlots.ids.ranks { $0 < $1 }
        var rows = RowBatch(capacity: dayDeltas.count, bytesPerRow: 40)
        dayDeltas.sumByKey(rankingHigh: contentOrder.ranks) { key, sum in
            let id = contentSlots[contentOrder.inOrder[Int(key >> 32)]]
            rows.append(rowKey(id) { $0.append(EngagementDelta.day(low: UInt32(truncatingIfNeeded: key))) }, sum)
        }
        try add(rows, "daily", store)
        rows = RowBatch(capacity: contents.count)
        for content in contents.indices where contents[content].engaged {
            rows.append(rowKey(contentSlots[content]), contents[content].totals)
        }
        try add(rows, "content-totals", store)
        rows = RowBatch(capacity: workspaceDaily.count)
        for (packed, index) in workspaceDailyIndex {
            let day = Int64(Int32(truncatingIfNeeded: packed))
            rows.append(rowKey(workspaces[Int(packed >> 32)].rawValue) { $0.append(day) }, workspaceDaily[index])
        }
        try add(rows, "workspace-daily", store)
        rows = RowBatch(capacity: contents.count)
        for content in contents.indices {
            guard let inWorkspace = contents[content].countedInWorkspace(late: lateWorkspaceSums) else { continue }
            let id = contentSlots[content]
            rows.append(rowKey(workspaces[Int(contents[content].workspace)].rawValue) { $0.append(id) }, inWorkspace)
        }
        for left in leftWorkspaces {
            let id = contentSlots[left.content]
            rows.append(rowKey(workspaces[Int(left.workspace)].rawValue) { $0.append(id) }, left.sums)
        }
        try add(rows, "workspace-content", store)
        rows = RowBatch(capacity: hours.count)
        for slot in hours.indices {
            guard let delta = hours[slot] else { continue }
            rows.append(rowKey(workspaces[slot / 168].rawValue) { $0.append(UInt8(slot % 168)) }, delta)
        }
        try add(rows, "hour-of-week", store)

        // By workspace and day, then content: the rows come out in the table's order.
        var workspaceDays = [(workspace: Int, day: Int64)](repeating: (0, 0), count: workspaceDaily.count)
        for (packed, index) in workspaceDailyIndex {
            workspaceDays[index] = (Int(packed >> 32), Int64(Int32(truncatingIfNeeded: packed)))
        }
        let dayOrder = workspaceDays.ranks { a, b in
            a.workspace == b.workspace ? a.day < b.day : workspaces[a.workspace].rawValue < workspaces[b.workspace].rawValue
        }
        rows = RowBatch(capacity: workspaceDayDeltas.count, bytesPerRow: 56)
        workspaceDayDeltas.sumByKey(rankingHigh: dayOrder.ranks, low: contentOrder.ranks) { key, sum in
            let (workspace, day) = workspaceDays[dayOrder.inOrder[Int(key >> 32)]]
            let id = contentSlots[contentOrder.inOrder[Int(UInt32(truncatingIfNeeded: key))]]
            rows.append(rowKey(workspaces[workspace].rawValue) { $0.append(day); $0.append(id) }, sum)
        }
        try add(rows, "workspace-day-content", store)
        rows = RowBatch(capacity: workspaceDaily.count * 4)
        for index in dayOrder.inOrder {
            let (workspace, day) = workspaceDays[index]
            for hour in 0..<24 {
                guard let delta = dayHours[index * 24 + hour] else { continue }
                rows.append(rowKey(workspaces[workspace].rawValue) { $0.append(day); $0.append(UInt8(hour)) }, delta)
            }
        }
        try add(rows, "workspace-hourly", store)
    }

    /// What a batch's engagement adds to one content.
    private struct ContentSums {
        var totals = EngagementCounters()
        /// Its workspace's slot, -1 while unknown.
        var workspace: Int32
        /// -1 when its workspace was known from its first event on and never changed (or
        /// never known): all of `totals` then counts for the workspace. Otherwise the index
        /// of what was counted since the workspace became known or last changed, in the
        /// batch's late sums.
        var lateSums: Int32 = -1
        var engaged = false

        init(workspace: Int?) {
            self.workspace = Int32(workspace ?? -1)
        }

        /// What its engagement added to its workspace's row for it, if anything.
        func countedInWorkspace(late: [EngagementCounters?]) -> EngagementCounters? {
            guard workspace >= 0 else { return nil }
            if lateSums >= 0 { return late[Int(lateSums)] }
            return engaged ? totals : nil
        }
    }

    private func add(_ rows: consuming RowBatch, _ table: String, _ store: ProjectionWriter) throws {
        try store.mergeAll(table, rows, as: EngagementCounters.self) { $0.add($1) }
    }

    static func dayKey(_ id: String, _ day: Int64) -> OrderedKey {
        var key = OrderedKey(id)
        key.append(day)
        return key
    }

    /// The hour of the day, UTC.
    @inline(__always)
    static func hourOfDay(_ instant: Instant) -> Int {
        let sinceMidnight = instant.millisecondsSince1970 % 86_400_000
        return Int((sinceMidnight < 0 ? sinceMidnight + 86_400_000 : sinceMidnight) / 3_600_000)
    }

    /// ``hourOfWeek(_:)`` of an hour of a UTC day.
    static func hourOfWeek(day: Int64, hour: Int) -> Int {
        let fromMonday = (day * 24 + Int64(hour) + 72) % 168
        return Int(fromMonday < 0 ? fromMonday + 168 : fromMonday)
    }

    /// Hours since Monday 00:00 UTC: 1970-01-01 was a Thursday.
    public static func hourOfWeek(_ instant: Instant) -> UInt8 {
        let hours = instant.millisecondsSince1970 >= 0
            ? instant.millisecondsSince1970 / 3_600_000
            : (instant.millisecondsSince1970 - 3_599_999) / 3_600_000
        let fromMonday = (hours + 72) % 168
        return UInt8(fromMonday < 0 ? fromMonday + 168 : fromMonday)
    }
}

// MARK: Queries

/// A day's engagement of one content or workspace.
public struct DailyEngagement: Hashable, Sendable, Codable {
    public var date: String
    public var views: Double
    public var clicks: Double
    public var shares: Double
    public var engagement: Double
    public var conversions: Double
    public var conversionValue: Double

    init(day: Int64, _ counters: EngagementCounters) {
        date = Timestamp.isoDate(day: day)
        let totals = EngagementTotals(counters)
        views = totals.views
        clicks = totals.clicks
        shares = totals.shares
        engagement = totals.engagement
        conversions = totals.conversions
        conversionValue = totals.conversionValue
    }
}

public struct ContentAnalytics: Hashable, Sendable, Codable {
    public var contentId: ContentID
    public var totals: EngagementTotals
    public var daily: [DailyEngagement]
}

public struct ContentRanking: Hashable, Sendable, Codable {
    public var contentId: ContentID
    public var totals: EngagementTotals
}

public struct Dashboard: Hashable, Sendable, Codable {
    public var workspaceId: WorkspaceID
    public var from: String
    public var to: String
    /// Over the range.
    public var totals: EngagementTotals
    /// The range's leaders, by interactions (views, clicks, shares, engagement) in the range.
    public var topContent: [ContentRanking]
    public var daily: [DailyEngagement]
}

public struct PostingTime: Hashable, Sendable, Codable {
    /// 0 = Monday … 6 = Sunday (UTC, or the time zone asked).
    public var dayOfWeek: Int
    public var hour: Int
    public var totals: EngagementTotals
}

extension AnalyticsProjection {
    public struct Queries {
        let reader: ProjectionReader
        public init(_ reader: ProjectionReader) { self.reader = reader }

        public func workspace(of content: ContentID) throws -> WorkspaceID? {
            try reader.value("content-workspace", OrderedKey(content.rawValue), as: WorkspaceID.self)
        }

        /// Every day from `from` to `to` (UTC day numbers, inclusive), zeros included.
        func series(_ table: String, _ id: String, from: Int64, to: Int64) throws -> (EngagementCounters, [DailyEngagement]) {
            let last = max(from, to)
            var byDay = [EngagementCounters](repeating: EngagementCounters(), count: Int(last - from) + 1)
            var total = EngagementCounters()
            try reader.scan(table, prefix: OrderedKey(id), after: AnalyticsProjection.dayKey(id, from - 1).bytes) { key, value in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[(id.utf8.count + 1)...]))
                let day = parts.int64()
                if day > last { return false }
                var binary = BinaryReader(value)
                let counters = try EngagementCounters(from: &binary)
                if day >= from { byDay[Int(day - from)] = counters }
                total.add(counters)
                return true
            }
            let daily = byDay.indices.map { DailyEngagement(day: from + Int64($0), byDay[$0]) }
            return (total, daily)
        }

        public func content(_ id: ContentID, fromDay: Int64, toDay: Int64) throws -> ContentAnalytics {
            let (total, daily) = try series("daily", id.rawValue, from: fromDay, to: toDay)
            return ContentAnalytics(contentId: id, totals: EngagementTotals(total), daily: daily)
        }

        public func allTime(_ id: ContentID) throws -> EngagementCounters {
            try reader.value("content-totals", OrderedKey(id.rawValue), as: EngagementCounters.self) ?? EngagementCounters()
        }

        public func dashboard(_ workspace: WorkspaceID, fromDay: Int64, toDay: Int64, top: Int = 10) throws -> Dashboard {
            let (total, daily) = try series("workspace-daily", workspace.rawValue, from: fromDay, to: toDay)
            let ranking = try ranked(workspace, fromDay: fromDay, toDay: toDay, top: top)
            return Dashboard(
                workspaceId: workspace, from: daily.first?.date ?? "", to: daily.last?.date ?? "",
                totals: EngagementTotals(total),
                topContent: ranking.map { ContentRanking(contentId: ContentID(unchecked: $0.id), totals: EngagementTotals($0.counters)) },
                daily: daily)
        }

        /// The best `top` of a workspace's contents over days `fromDay…toDay`: from the
        /// all-time rows when the range holds every day the workspace has engagement on,
        /// else summed from its days in the range.
        func ranked(_ workspace: WorkspaceID, fromDay: Int64, toDay: Int64, top: Int) throws
            -> [(id: String, counters: EngagementCounters)] {
            guard top > 0 else { return [] }
            var ranking = TopContents(top: top)
            let prefix = OrderedKey(workspace.rawValue)
            if try holdsEveryDay(of: workspace, fromDay: fromDay, toDay: toDay) {
                try reader.scan("workspace-content", prefix: prefix) { key, value in
                    var binary = BinaryReader(value)
                    ranking.offer(try EngagementCounters(from: &binary)) {
                        var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                        return parts.string()
                    }
                    return true
                }
                return ranking.finished()
            }
            var sums: [String: EngagementCounters] = [:]
            // No row is the bare (workspace, day) key: the scan starts at the day's first row.
            try reader.scan("workspace-day-content", prefix: prefix,
                            after: AnalyticsProjection.dayKey(workspace.rawValue, fromDay).bytes) { key, value in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                let day = parts.int64()
                if day > toDay { return false }
                guard day >= fromDay else { return true }
                var binary = BinaryReader(value)
                sums[parts.string(), default: EngagementCounters()].add(try EngagementCounters(from: &binary))
                return true
            }
            for (id, counters) in sums { ranking.offer(counters) { id } }
            return ranking.finished()
        }

        /// Whether no engagement of `workspace` falls outside `fromDay…toDay`.
        func holdsEveryDay(of workspace: WorkspaceID, fromDay: Int64, toDay: Int64) throws -> Bool {
            let prefix = OrderedKey(workspace.rawValue)
            var before = false, after = false
            try reader.scan("workspace-daily", prefix: prefix) { key, _ in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                before = parts.int64() < fromDay
                return false
            }
            try reader.scan("workspace-daily", prefix: prefix, after: AnalyticsProjection.dayKey(workspace.rawValue, toDay).bytes) { _, _ in
                after = true
                return false
            }
            return !before && !after
        }

        /// More interactions first; equal ones in id order.
        static func ranks(_ a: (id: String, counters: EngagementCounters), before b: (id: String, counters: EngagementCounters)) -> Bool {
            a.counters.interactions != b.counters.interactions ? a.counters.interactions > b.counters.interactions : a.id < b.id
        }

        /// Hours of the week ranked by engagement in `workspace`: all time, or over UTC
        /// days `fromDay…toDay` when given. UTC hours of the week, unless `localHourOfWeek`
        /// maps each UTC day and hour to the hour of the week (0 = Monday 00:00) in another
        /// time zone: then each hour of `workspace-hourly` is counted where it falls there,
        /// daylight-saving changes included.
        public func bestPostingTimes(_ workspace: WorkspaceID, fromDay: Int64? = nil, toDay: Int64? = nil,
                                     limit: Int = 5, localHourOfWeek: ((_ day: Int64, _ hour: Int) -> Int)? = nil)
            throws -> [PostingTime] {
            var hours: [(UInt8, EngagementCounters)] = []
            let prefix = OrderedKey(workspace.rawValue)
            let ranged = fromDay != nil && toDay != nil
            let partial = try ranged && !holdsEveryDay(of: workspace, fromDay: fromDay!, toDay: toDay!)
            if localHourOfWeek != nil || partial {
                let first = fromDay ?? .min, last = toDay ?? .max
                let toHourOfWeek = localHourOfWeek ?? AnalyticsProjection.hourOfWeek(day:hour:)
                var byHour = [EngagementCounters?](repeating: nil, count: 168)
                // No row is the bare (workspace, day) key: the scan starts at the day's first row.
                let start = fromDay.map { AnalyticsProjection.dayKey(workspace.rawValue, $0).bytes }
                try reader.scan("workspace-hourly", prefix: prefix, after: start) { key, value in
                    var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                    let day = parts.int64()
                    if day > last { return false }
                    guard day >= first else { return true }
                    let hour = Int(parts.uint8())
                    var binary = BinaryReader(value)
                    byHour[toHourOfWeek(day, hour), default: EngagementCounters()].add(try EngagementCounters(from: &binary))
                    return true
                }
                hours = byHour.indices.compactMap { hour in byHour[hour].map { (UInt8(hour), $0) } }
            } else {
                try reader.scan("hour-of-week", prefix: prefix) { key, value in
                    var binary = BinaryReader(value)
                    hours.append((key[prefix.bytes.count], try EngagementCounters(from: &binary)))
                    return true
                }
            }
            hours.sort { $0.1.interactions != $1.1.interactions ? $0.1.interactions > $1.1.interactions : $0.0 < $1.0 }
            return hours.prefix(limit).map {
                PostingTime(dayOfWeek: Int($0.0) / 24, hour: Int($0.0) % 24, totals: EngagementTotals($0.1))
            }
        }
    }
}

/// The best `top` of many contents (thousands in a workspace). A short list is kept in
/// order, without a string for the contents that cannot enter it: sorting them all cost
/// more than the whole rest of the dashboard.
struct TopContents {
    typealias Entry = (id: String, counters: EngagementCounters)
    let top: Int
    private var ranking: [Entry] = []
    private var selecting: Bool { top <= 64 }

    init(top: Int) { self.top = top }

    mutating func offer(_ counters: EngagementCounters, id: () -> String) {
        if selecting, ranking.count == top, let last = ranking.last, counters.interactions < last.counters.interactions {
            return
        }
        let entry = (id: id(), counters: counters)
        guard selecting else {
            ranking.append(entry)
            return
        }
        let place = ranking.firstIndex { AnalyticsProjection.Queries.ranks(entry, before: $0) } ?? ranking.count
        if place < top {
            ranking.insert(entry, at: place)
            if ranking.count > top { ranking.removeLast() }
        }
    }

    func finished() -> [Entry] {
        guard !selecting else { return ranking }
        var ranking = ranking.sorted(by: AnalyticsProjection.Queries.ranks)
        if ranking.count > top { ranking.removeLast(ranking.count - top) }
        return ranking
    }
}
