public import Foundation

public enum ScheduleStatus: String, Codable, Sendable, CaseIterable, BinaryCodable {
    /// `published`: its last occurrence fired (its distribution job was requested).
    /// `missed`: its last occurrence was overdue beyond the grace period.
    case scheduled, cancelled, published, failed, missed
}

/// A schedule as the rules see it. `publishTime` is its next occurrence (the only one
/// of a one-off), and what it fires at.
public struct ScheduleState: Hashable, Sendable {
    public var scheduleId: ScheduleID
    public var contentId: ContentID
    public var workspaceId: WorkspaceID
    public var publishTime: Instant
    public var timezone: String
    public var channels: [ChannelID]
    public var status: ScheduleStatus
    /// What the wall clock in `timezone` shows at `publishTime`.
    public var localPublishTime: LocalDateTime
    /// The wall-clock time asked for this occurrence; differs from `localPublishTime` when
    /// a daylight-saving change skips it. Recurrences step from it.
    public var requestedLocalTime: LocalDateTime
    /// `skipped` or `repeated` when the requested local time is one a daylight-saving
    /// change skips or repeats, with `localTimeNote` saying how it was resolved.
    public var localTimeAdjustment: String?
    public var localTimeNote: String?
    public var recurrence: Recurrence?
    /// Occurrences fired so far, the last one's time and distribution job.
    public var firedCount: Int
    public var lastFiredAt: Instant?
    public var jobId: JobID?
    /// Why the last missed occurrence was missed.
    public var missedReason: String?

    public init(_ scheduled: ContentScheduled) {
        scheduleId = scheduled.scheduleId
        contentId = scheduled.contentId
        workspaceId = scheduled.workspaceId
        publishTime = scheduled.publishTime
        timezone = scheduled.timezone
        channels = scheduled.channels
        status = .scheduled
        localPublishTime = LocalDateTime(wallMilliseconds: 0)
        requestedLocalTime = localPublishTime
        recurrence = scheduled.recurrence
        firedCount = 0
        place(at: scheduled.publishTime, requested: scheduled.localPublishTime)
    }

    /// Moves to the occurrence at `instant`, asked as `requested` on the wall clock (or
    /// given as an instant when nil).
    mutating func place(at instant: Instant, requested: LocalDateTime?) {
        publishTime = instant
        let zone = TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")!
        localPublishTime = LocalDateTime(instant, in: zone)
        requestedLocalTime = requested ?? localPublishTime
        let resolution = requestedLocalTime.resolved(in: zone)
        // An instant given with an offset chose its occurrence itself: no rule applied.
        let adjustment = requested == nil ? nil : resolution.adjustment
        localTimeAdjustment = adjustment?.kind
        localTimeNote = adjustment == nil ? nil : resolution.note
    }

    public mutating func apply(_ event: DomainEvent) {
        switch event {
        case .scheduleUpdated(let e) where e.scheduleId == scheduleId:
            timezone = e.timezone
            channels = e.channels
            recurrence = e.recurrence
            place(at: e.publishTime, requested: e.localPublishTime)
        case .scheduleCancelled(let e) where e.scheduleId == scheduleId:
            status = .cancelled
        case .scheduleFired(let e) where e.scheduleId == scheduleId:
            firedCount += 1
            lastFiredAt = e.firedAt
            jobId = e.jobId
            if let next = e.nextPublishTime { place(at: next, requested: e.nextLocalPublishTime) } else { status = .published }
        case .scheduleMissed(let e) where e.scheduleId == scheduleId:
            missedReason = e.reason
            if let next = e.nextPublishTime { place(at: next, requested: e.nextLocalPublishTime) } else { status = .missed }
        case .contentPublished(let e) where e.scheduleId == scheduleId:
            // A recurring schedule goes on after each delivery.
            if recurrence == nil || status != .scheduled { status = .published }
        case .distributionDeadLettered:
            break
        case .contentDeleted(let e) where e.contentId == contentId && status == .scheduled:
            status = .cancelled
        default:
            break
        }
    }
}

public enum ScheduleRules {
    /// When a schedule publishes: an instant (with an offset), or a wall-clock time read in
    /// the schedule's time zone.
    public enum PublishTime: Hashable, Sendable {
        case instant(Instant)
        case local(LocalDateTime)

        /// An RFC 3339 instant, or a local date-time without offset; nil for anything else.
        public init?(_ text: String) {
            if let instant = Instant(iso8601: text) {
                self = .instant(instant)
            } else if let local = LocalDateTime(text) {
                self = .local(local)
            } else {
                return nil
            }
        }
    }

    public struct Schedule: Sendable {
        public var scheduleId: ScheduleID
        public var contentId: ContentID
        public var time: PublishTime
        public var timezone: String
        public var channels: [ChannelID]
        public var recurrence: Recurrence?

        public init(scheduleId: ScheduleID = .generate(), contentId: ContentID, time: PublishTime, timezone: String,
                    channels: [ChannelID], recurrence: Recurrence? = nil) {
            self.scheduleId = scheduleId
            self.contentId = contentId
            self.time = time
            self.timezone = timezone
            self.channels = channels
            self.recurrence = recurrence
        }

        public init(scheduleId: ScheduleID = .generate(), contentId: ContentID, publishTime: Instant, timezone: String,
                    channels: [ChannelID], recurrence: Recurrence? = nil) {
            self.init(scheduleId: scheduleId, contentId: contentId, time: .instant(publishTime), timezone: timezone,
                      channels: channels, recurrence: recurrence)
        }
    }

    /// `time` as an instant in `timezone` (validated first), with the wall-clock time asked
    /// when it was given as one. See ``LocalDateTime/resolved(in:)`` for the DST rule.
    static func resolve(_ time: PublishTime, in timezone: String) throws(DomainError) -> (Instant, LocalDateTime?) {
        try Validation.timezone(timezone)
        switch time {
        case .instant(let instant): return (instant, nil)
        case .local(let local): return (local.resolved(in: TimeZone(identifier: timezone)!).instant, local)
        }
    }

    /// - Parameter connectedChannels: the channels connected in the actor's workspace.
    public static func schedule(
        _ command: Schedule, content: ContentState?, connectedChannels: Set<ChannelID>, now: Instant, by actor: Actor
    ) throws(DomainError) -> ContentScheduled {
        try actor.requireWriter("schedule content")
        let content = try ContentRules.visible(command.contentId, content, actor)
        guard content.status != .deleted else {
            throw DomainError(.invalidState, "content \(command.contentId) is deleted and cannot be scheduled")
        }
        let (instant, local) = try resolve(command.time, in: command.timezone)
        try validate(instant, command.timezone, command.channels, connectedChannels, now: now)
        try validate(command.recurrence)
        return ContentScheduled(scheduleId: command.scheduleId, contentId: command.contentId, workspaceId: actor.workspaceId,
                                publishTime: instant, timezone: command.timezone,
                                channels: command.channels, scheduledBy: actor.userId, localPublishTime: local,
                                recurrence: command.recurrence)
    }

    /// Fields left nil keep their value. A new time zone without a new time keeps the
    /// wall-clock time (09:00 stays 09:00, now in the new zone); without either, the
    /// occurrence stays where it is (and a skipped wall-clock time stays the one asked).
    public static func update(
        _ scheduleId: ScheduleID, publishTime: PublishTime?, timezone: String?, channels: [ChannelID]?,
        recurrence: Recurrence? = nil, current: ScheduleState?, connectedChannels: Set<ChannelID>, now: Instant, by actor: Actor
    ) throws(DomainError) -> ScheduleUpdated {
        let schedule = try pending(scheduleId, current, actor, action: "change schedules")
        let zone = timezone ?? schedule.timezone
        let asked: PublishTime = publishTime
            ?? (schedule.requestedLocalTime != schedule.localPublishTime || schedule.localTimeNote != nil || timezone != nil
                ? .local(schedule.requestedLocalTime) : .instant(schedule.publishTime))
        let (instant, local) = try resolve(asked, in: zone)
        let targets = channels ?? schedule.channels
        let repeats = recurrence ?? schedule.recurrence
        try validate(instant, zone, targets, connectedChannels, now: now)
        try validate(repeats)
        return ScheduleUpdated(scheduleId: scheduleId, publishTime: instant, timezone: zone, channels: targets,
                               updatedBy: actor.userId, localPublishTime: local, recurrence: repeats)
    }

    public static func update(
        _ scheduleId: ScheduleID, publishTime: Instant?, timezone: String?, channels: [ChannelID]?,
        current: ScheduleState?, connectedChannels: Set<ChannelID>, now: Instant, by actor: Actor
    ) throws(DomainError) -> ScheduleUpdated {
        try update(scheduleId, publishTime: publishTime.map(PublishTime.instant), timezone: timezone, channels: channels,
                   current: current, connectedChannels: connectedChannels, now: now, by: actor)
    }

    static func validate(_ recurrence: Recurrence?) throws(DomainError) {
        guard let recurrence else { return }
        guard (1...Recurrence.maxInterval).contains(recurrence.interval) else {
            throw .invalid("recurrence.interval", "the interval is 1 to \(Recurrence.maxInterval)")
        }
        if recurrence.until != nil, recurrence.untilDay == nil {
            throw .invalid("recurrence.until", "until is a date, YYYY-MM-DD")
        }
    }

    /// What the scheduler appends for the occurrence of `schedule` due at or before `now`:
    /// ``ScheduleFired`` and the ``DistributionRequested`` of job `jobId`, or
    /// ``ScheduleMissed`` when the occurrence is older than `grace`. Nil when nothing is due
    /// (not pending, or not yet). A recurring schedule's event names its next occurrence.
    public static func fire(
        _ schedule: ScheduleState, now: Instant, grace: Duration, jobId: JobID = .generate()
    ) -> [DomainEvent]? {
        guard schedule.status == .scheduled, schedule.publishTime <= now else { return nil }
        var next: (instant: Instant, local: LocalDateTime)?
        if let recurrence = schedule.recurrence, let zone = TimeZone(identifier: schedule.timezone),
           let local = recurrence.next(after: schedule.requestedLocalTime) {
            // Even when overdue too: the scheduler then fires or misses it at once, so every
            // occurrence a downtime spans is accounted for by an event.
            next = (local.resolved(in: zone).instant, local)
        }
        let overdue = now.millisecondsSince1970 - schedule.publishTime.millisecondsSince1970
        let graceMilliseconds = Int64(grace.components.seconds) * 1000 + grace.components.attoseconds / 1_000_000_000_000_000
        if overdue > graceMilliseconds {
            return [ScheduleMissed(
                scheduleId: schedule.scheduleId, contentId: schedule.contentId, workspaceId: schedule.workspaceId,
                occurrence: schedule.publishTime, detectedAt: now,
                reason: "overdue by \(ScheduleGrace.describe(milliseconds: overdue)) when the scheduler ran, beyond the grace "
                    + "period of \(ScheduleGrace.describe(milliseconds: graceMilliseconds)) (SMARTCONTENT_SCHEDULE_GRACE)",
                nextPublishTime: next?.instant, nextLocalPublishTime: next?.local).event]
        }
        let fired = ScheduleFired(scheduleId: schedule.scheduleId, contentId: schedule.contentId,
                                  workspaceId: schedule.workspaceId, occurrence: schedule.publishTime, firedAt: now,
                                  jobId: jobId, nextPublishTime: next?.instant, nextLocalPublishTime: next?.local)
        let requested = DistributionRequested(jobId: jobId, contentId: schedule.contentId, workspaceId: schedule.workspaceId,
                                              channels: schedule.channels, scheduleId: schedule.scheduleId,
                                              requestedBy: "system")
        return [fired.event, requested.event]
    }

    public static func cancel(
        _ scheduleId: ScheduleID, reason: String?, current: ScheduleState?, by actor: Actor
    ) throws(DomainError) -> ScheduleCancelled {
        _ = try pending(scheduleId, current, actor, action: "cancel schedules")
        return ScheduleCancelled(scheduleId: scheduleId, cancelledBy: actor.userId, reason: reason)
    }

    static func pending(_ id: ScheduleID, _ current: ScheduleState?, _ actor: Actor, action: String) throws(DomainError) -> ScheduleState {
        guard let current, current.workspaceId == actor.workspaceId else { throw .notFound("Schedule", id.rawValue) }
        try actor.requireWriter(action)
        guard current.status == .scheduled else {
            throw DomainError(.invalidState, "schedule \(id) is \(current.status.rawValue)", details: ["status": current.status.rawValue])
        }
        return current
    }

    static func validate(
        _ time: Instant, _ timezone: String, _ channels: [ChannelID], _ connected: Set<ChannelID>, now: Instant
    ) throws(DomainError) {
        try Validation.publishTime(time, now: now)
        try Validation.timezone(timezone)
        guard !channels.isEmpty, channels.count <= Validation.maxChannelsPerSchedule else {
            throw .invalid("channels", "1 to \(Validation.maxChannelsPerSchedule) channels are required")
        }
        guard Set(channels).count == channels.count else { throw .invalid("channels", "a channel is listed twice") }
        if let unknown = channels.first(where: { !connected.contains($0) }) {
            throw DomainError(.invalidParameters, "channel \(unknown) is not connected in this workspace",
                              details: ["field": "channels", "channelId": unknown.rawValue])
        }
    }
}

extension ScheduleState: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(scheduleId); w.write(contentId); w.write(workspaceId); w.write(publishTime); w.write(timezone)
        w.write(channels); w.write(status); w.write(localPublishTime); w.write(requestedLocalTime); w.write(localTimeAdjustment)
        w.write(localTimeNote); w.write(recurrence); w.write(firedCount); w.write(lastFiredAt); w.write(jobId)
        w.write(missedReason)
    }

    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        scheduleId = try r.read(); contentId = try r.read(); workspaceId = try r.read(); publishTime = try r.read()
        timezone = try r.read(); channels = try r.read(); status = try r.read(); localPublishTime = try r.read()
        requestedLocalTime = try r.read(); localTimeAdjustment = try r.read(); localTimeNote = try r.read()
        recurrence = try r.read(); firedCount = try r.read(); lastFiredAt = try r.read(); jobId = try r.read()
        missedReason = try r.read()
    }
}

extension ScheduleState: Codable {}
