import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension SmartContentAPI {
    struct ScheduleBody: Decodable {
        var contentId: ContentID
        var publishTime: Instant
        var timezone: String
        var channels: [ChannelID]?
    }

    struct ScheduleUpdateBody: Decodable {
        var publishTime: Instant?
        var timezone: String?
        var channels: [ChannelID]?
    }

    /// Schedules: create, list (by publish day), get, update, cancel, and the best
    /// posting times learnt from engagement by hour of the week.
    func addScheduleRoutes(to v1: RouteGroup) {
        let schedules = v1.group("schedules")
        schedules.post { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.decode(as: ScheduleBody.self, context: context)
            let scheduled = try await engine.schedule(
                .init(contentId: body.contentId, publishTime: body.publishTime, timezone: body.timezone, channels: body.channels ?? []),
                by: actor)
            return try context.respond(try await schedule(scheduled.value.scheduleId, actor, atLeast: scheduled.position),
                                       status: .created, position: scheduled.position)
        }
        schedules.get { request, context -> Response in
            let actor = try context.requireActor()
            let today = engine.now.utcDay
            let (first, last) = try days(from: request.query("from"), to: request.query("to"))
            let from = request.query("from") == nil ? today - 1 : first
            let to = request.query("to") == nil ? max(today + 365, from) : last
            let limit = try request.pageLimit(), cursor = try request.pageCursor()
            return try context.respond(try await read(ScheduleProjection.self, request, context) {
                try $0.list(in: actor.workspaceId, fromDay: from, toDay: to, limit: limit, cursor: cursor)
            })
        }
        schedules.get("optimal-times") { request, context -> Response in
            let actor = try context.requireActor()
            let limit = try request.pageLimit()
            return try context.respond(try await read(AnalyticsProjection.self, request, context) {
                try $0.bestPostingTimes(actor.workspaceId, limit: limit)
            })
        }
        schedules.get(":scheduleId") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("scheduleId", as: ScheduleID.self, what: "Schedule")
            return try context.respond(try await schedule(id, actor, atLeast: try context.readPosition(request)))
        }
        schedules.put(":scheduleId") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("scheduleId", as: ScheduleID.self, what: "Schedule")
            let body = try await request.decode(as: ScheduleUpdateBody.self, context: context)
            let updated = try await engine.updateSchedule(id, publishTime: body.publishTime, timezone: body.timezone,
                                                          channels: body.channels, by: actor)
            return try context.respond(try await schedule(id, actor, atLeast: updated.position), position: updated.position)
        }
        schedules.delete(":scheduleId") { _, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("scheduleId", as: ScheduleID.self, what: "Schedule")
            return context.noContent(position: try await engine.cancelSchedule(id, by: actor).position)
        }
    }

    func schedule(_ id: ScheduleID, _ actor: Actor, atLeast position: UInt64?) async throws -> ScheduleState {
        let state = try await engine.readNow(ScheduleProjection.self, atLeast: position) { try $0.schedule(id, in: actor.workspaceId) }
        guard let state else { throw APIError.notFound("Schedule", id.rawValue) }
        return state
    }
}
