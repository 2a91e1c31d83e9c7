import Foundation
import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension SmartContentAPI {
    struct ScheduleBody: Decodable {
        var contentId: ContentID
        /// An instant with an offset, or a local date-time read in `timezone`.
        var publishTime: String
        var timezone: String
        var channels: [ChannelID]?
        var recurrence: Recurrence?
    }

    struct ScheduleUpdateBody: Decodable {
        var publishTime: String?
        var timezone: String?
        var channels: [ChannelID]?
        var recurrence: Recurrence?
    }

    /// A schedule and, while it is pending, what its channels that post text will post.
    struct ScheduleView: Encodable {
        var schedule: ScheduleState
        var previews: [PostPreview]

        private enum CodingKeys: String, CodingKey { case previews }

        func encode(to encoder: any Encoder) throws {
            try schedule.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(previews, forKey: .previews)
        }
    }

    static func publishTime(_ text: String) throws -> ScheduleRules.PublishTime {
        guard let time = ScheduleRules.PublishTime(text) else {
            throw DomainError.invalid("publishTime", "'\(text)' is neither an RFC 3339 instant nor a local date-time "
                                      + "(YYYY-MM-DDTHH:MM:SS, read in the schedule's timezone)")
        }
        return time
    }

    /// Schedules: create, list (by publish day), get, update, cancel, and the best
    /// posting times learnt from engagement by hour of the week.
    func addScheduleRoutes(to v1: RouterGroup<APIContext>) {
        let schedules = v1.group("schedules")
        schedules.post { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.decode(as: ScheduleBody.self, context: context)
            let scheduled = try await engine.schedule(
                .init(contentId: body.contentId, time: try Self.publishTime(body.publishTime), timezone: body.timezone,
                      channels: body.channels ?? [], recurrence: body.recurrence),
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
            let zone = try await postingTimeZone(request.query("timezone"), actor)
            return try context.respond(try await read(AnalyticsProjection.self, request, context) {
                try $0.bestPostingTimes(actor.workspaceId, limit: limit, localHourOfWeek: zone.map { zone in
                    { day, hour in
                        let local = LocalDateTime(Instant(millisecondsSince1970: day * 86_400_000 + Int64(hour) * 3_600_000), in: zone)
                        // The wall clock read as if UTC: its hour of the week is the local one.
                        return Int(AnalyticsProjection.hourOfWeek(Instant(millisecondsSince1970: local.wallMilliseconds)))
                    }
                })
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
            let updated = try await engine.updateSchedule(id, time: try body.publishTime.map(Self.publishTime),
                                                          timezone: body.timezone, channels: body.channels,
                                                          recurrence: body.recurrence, by: actor)
            return try context.respond(try await schedule(id, actor, atLeast: updated.position), position: updated.position)
        }
        schedules.delete(":scheduleId") { _, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("scheduleId", as: ScheduleID.self, what: "Schedule")
            return context.noContent(position: try await engine.cancelSchedule(id, by: actor).position)
        }
    }

    /// The time zone optimal times are told in: `timezone` asked, else the user's profile
    /// one, else UTC (nil: UTC, which needs no conversion).
    func postingTimeZone(_ asked: String?, _ actor: Actor) async throws -> TimeZone? {
        if let asked {
            try Validation.timezone(asked)
            return asked == "UTC" ? nil : TimeZone(identifier: asked)
        }
        let profile = try await engine.readNow(UserProjection.self) { try $0.user(actor.userId)?.timezone }
        guard let profile, profile != "UTC" else { return nil }
        return TimeZone(identifier: profile)
    }

    func schedule(_ id: ScheduleID, _ actor: Actor, atLeast position: UInt64?) async throws -> ScheduleView {
        let state = try await engine.readNow(ScheduleProjection.self, atLeast: position) { try $0.schedule(id, in: actor.workspaceId) }
        guard let state else { throw APIError.notFound("Schedule", id.rawValue) }
        // The content as it is now: an edit after scheduling shows here, and a problem it
        // makes (a title over a limit) says so in the preview.
        let previews = state.status == .scheduled
            ? (try? await engine.postPreviews(of: state.contentId, on: state.channels, by: actor)) ?? []
            : []
        return ScheduleView(schedule: state, previews: previews)
    }
}
