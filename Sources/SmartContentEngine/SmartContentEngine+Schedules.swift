import EventLog
import Foundation
public import SmartContentDomain
import SmartContentProjections

extension SmartContentEngine {
    @discardableResult
    public func schedule(_ command: ScheduleRules.Schedule, by actor: Actor) async throws -> Written<ContentScheduled> {
        let content = Self.contentState(try await load(Streams.content(command.contentId)))
        let channels = try await connectedChannels(of: actor.workspaceId)
        try await checkPostLimits(of: content, on: command.channels, by: actor)
        return try await execute(on: Streams.schedule(command.scheduleId), by: actor) { loaded in
            guard loaded.version == nil else { throw DomainError(.alreadyExists, "schedule \(command.scheduleId) already exists") }
            let scheduled = try ScheduleRules.schedule(command, content: content, connectedChannels: channels, now: now, by: actor)
            return ([scheduled.event], scheduled)
        }
    }

    @discardableResult
    public func updateSchedule(
        _ id: ScheduleID, publishTime: Instant? = nil, timezone: String? = nil, channels: [ChannelID]? = nil, by actor: Actor
    ) async throws -> Written<ScheduleUpdated> {
        try await updateSchedule(id, time: publishTime.map(ScheduleRules.PublishTime.instant), timezone: timezone,
                                 channels: channels, by: actor)
    }

    /// Changes what is given (nil keeps it); see ``ScheduleRules/update(_:publishTime:timezone:channels:recurrence:current:connectedChannels:now:by:)``.
    @discardableResult
    public func updateSchedule(
        _ id: ScheduleID, time: ScheduleRules.PublishTime?, timezone: String? = nil, channels: [ChannelID]? = nil,
        recurrence: Recurrence? = nil, by actor: Actor
    ) async throws -> Written<ScheduleUpdated> {
        let connected = try await connectedChannels(of: actor.workspaceId)
        if let current = Self.scheduleState(try await load(Streams.schedule(id))), current.workspaceId == actor.workspaceId {
            let content = Self.contentState(try await load(Streams.content(current.contentId)))
            try await checkPostLimits(of: content, on: channels ?? current.channels, by: actor)
        }
        return try await execute(on: Streams.schedule(id), by: actor) { loaded in
            let updated = try ScheduleRules.update(id, publishTime: time, timezone: timezone, channels: channels,
                                                   recurrence: recurrence, current: Self.scheduleState(loaded),
                                                   connectedChannels: connected, now: now, by: actor)
            return ([updated.event], updated)
        }
    }

    @discardableResult
    public func cancelSchedule(_ id: ScheduleID, reason: String? = nil, by actor: Actor) async throws -> Written<ScheduleCancelled> {
        try await execute(on: Streams.schedule(id), by: actor) { loaded in
            let cancelled = try ScheduleRules.cancel(id, reason: reason, current: Self.scheduleState(loaded), by: actor)
            return ([cancelled.event], cancelled)
        }
    }

    static func scheduleState(_ loaded: LoadedStream) -> ScheduleState? {
        var state: ScheduleState?
        for (event, _) in loaded.events {
            if case .contentScheduled(let scheduled) = event { state = ScheduleState(scheduled) } else { state?.apply(event) }
        }
        return state
    }

    func connectedChannels(of workspace: WorkspaceID) async throws -> Set<ChannelID> {
        try await read(DistributionProjection.self, atLeast: log.head.head) { queries in
            Set(try queries.channels(in: workspace).map(\.channelId))
        }
    }
}
