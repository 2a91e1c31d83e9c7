public enum ScheduleStatus: String, Codable, Sendable, CaseIterable, BinaryCodable {
    case scheduled, cancelled, published, failed
}

/// A schedule as the rules see it.
public struct ScheduleState: Hashable, Sendable {
    public var scheduleId: ScheduleID
    public var contentId: ContentID
    public var workspaceId: WorkspaceID
    public var publishTime: Instant
    public var timezone: String
    public var channels: [ChannelID]
    public var status: ScheduleStatus

    public init(_ scheduled: ContentScheduled) {
        scheduleId = scheduled.scheduleId
        contentId = scheduled.contentId
        workspaceId = scheduled.workspaceId
        publishTime = scheduled.publishTime
        timezone = scheduled.timezone
        channels = scheduled.channels
        status = .scheduled
    }

    public mutating func apply(_ event: DomainEvent) {
        switch event {
        case .scheduleUpdated(let e) where e.scheduleId == scheduleId:
            publishTime = e.publishTime
            timezone = e.timezone
            channels = e.channels
        case .scheduleCancelled(let e) where e.scheduleId == scheduleId:
            status = .cancelled
        case .contentPublished(let e) where e.scheduleId == scheduleId:
            status = .published
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
    public struct Schedule: Sendable {
        public var scheduleId: ScheduleID
        public var contentId: ContentID
        public var publishTime: Instant
        public var timezone: String
        public var channels: [ChannelID]

        public init(scheduleId: ScheduleID = .generate(), contentId: ContentID, publishTime: Instant, timezone: String,
                    channels: [ChannelID]) {
            self.scheduleId = scheduleId
            self.contentId = contentId
            self.publishTime = publishTime
            self.timezone = timezone
            self.channels = channels
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
        try validate(command.publishTime, command.timezone, command.channels, connectedChannels, now: now)
        return ContentScheduled(scheduleId: command.scheduleId, contentId: command.contentId, workspaceId: actor.workspaceId,
                                publishTime: command.publishTime, timezone: command.timezone,
                                channels: command.channels, scheduledBy: actor.userId)
    }

    public static func update(
        _ scheduleId: ScheduleID, publishTime: Instant?, timezone: String?, channels: [ChannelID]?,
        current: ScheduleState?, connectedChannels: Set<ChannelID>, now: Instant, by actor: Actor
    ) throws(DomainError) -> ScheduleUpdated {
        let schedule = try pending(scheduleId, current, actor, action: "change schedules")
        let time = publishTime ?? schedule.publishTime
        let zone = timezone ?? schedule.timezone
        let targets = channels ?? schedule.channels
        try validate(time, zone, targets, connectedChannels, now: now)
        return ScheduleUpdated(scheduleId: scheduleId, publishTime: time, timezone: zone, channels: targets,
                               updatedBy: actor.userId)
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
        w.write(channels); w.write(status)
    }

    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        scheduleId = try r.read(); contentId = try r.read(); workspaceId = try r.read(); publishTime = try r.read()
        timezone = try r.read(); channels = try r.read(); status = try r.read()
    }
}

extension ScheduleState: Codable {}
