import EventLog
import Foundation
import Hummingbird
import NIOCore
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension SmartContentAPI {
    struct EngagementBody: Decodable {
        var contentId: ContentID
        var kind: EngagementKind
        var userId: String?
        var channel: String?
        var occurredAt: Instant?
        var value: Double?
        var eventId: String?
    }

    /// `{events: [...]}` or one event.
    struct IngestionBody: Decodable {
        var events: [EngagementBody]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if container.contains(.events) {
                events = try container.decode([EngagementBody].self, forKey: .events)
            } else {
                events = [try EngagementBody(from: decoder)]
            }
        }

        enum CodingKeys: String, CodingKey { case events }
    }

    struct Accepted: Encodable {
        var accepted: Int
        var position: UInt64
    }

    struct ExportBody: Decodable {
        var from: String?
        var to: String?
        var format: String?
        var contentIds: [ContentID]?
    }

    struct ExportLine: Encodable {
        var workspaceId: WorkspaceID
        var contentId: ContentID
        var title: String
        var date: String
        var views, clicks, shares, engagement, conversions, conversionValue: Double
    }

    /// What an export covers: its rows say which content, titled, of which workspace.
    struct ExportScope {
        var workspaceId: WorkspaceID
        var from: String
        var to: String
        var titles: [ContentID: String]
    }

    struct Trends: Encodable {
        var contentId: ContentID?
        var from: String
        var to: String
        var interval = "day"
        var points: [DailyEngagement]
    }

    struct Report: Encodable {
        var workspaceId: WorkspaceID
        var from: String
        var to: String
        var totals: EngagementTotals
        var topContent: [ContentRanking]
        var bestPostingTimes: [PostingTime]
        var activeDays: Int
    }

    /// Engagement ingestion and the analytics read models.
    func addAnalyticsRoutes(to v1: RouterGroup<APIContext>) {
        let analytics = v1.group("analytics")
        analytics.post("events") { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.decode(as: IngestionBody.self, context: context)
            guard (1...SmartContentEngine.maxEngagementBatch).contains(body.events.count) else {
                throw APIError.invalid("events", "a batch holds 1 to \(SmartContentEngine.maxEngagementBatch) events")
            }
            let idempotencyKey = try request.idempotencyKey()
            let engagements = try body.events.enumerated().map { index, event in
                var reader: ReaderID?
                if let userId = event.userId {
                    guard !userId.isEmpty, userId.utf8.count <= 128 else {
                        throw APIError.invalid("events[\(index)].userId", "userId must be 1 to 128 characters")
                    }
                    guard let parsed = ReaderID(rawValue: userId) else {
                        throw APIError.invalid("events[\(index)].userId", "userId must not hold control characters")
                    }
                    reader = parsed
                }
                var id: EventID?
                if let text = event.eventId {
                    guard let parsed = EventID(text) else { throw APIError.invalid("events[\(index)].eventId", "eventId must be a UUID") }
                    id = parsed
                } else if let idempotencyKey {
                    // A retried batch carries the same key: its events get the same ids, and
                    // the log appends none of them twice.
                    id = EventID(deriving: "\(actor.userId)\u{0}\(idempotencyKey)\u{0}\(index)")
                }
                return SmartContentEngine.Engagement(contentId: event.contentId, kind: event.kind, userId: reader,
                                                     channel: event.channel, occurredAt: event.occurredAt, value: event.value,
                                                     eventId: id)
            }
            let written = try await engine.recordEngagement(engagements, by: actor)
            return try context.respond(Accepted(accepted: written.value, position: written.position), status: .accepted,
                                       position: written.position)
        }
        analytics.get("content/:contentId") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("contentId", as: ContentID.self, what: "Content")
            let (first, last) = try days(request)
            let answer = try await read(AnalyticsProjection.self, request, context) { queries -> ContentAnalytics? in
                guard try queries.workspace(of: id) == actor.workspaceId else { return nil }
                return try queries.content(id, fromDay: first, toDay: last)
            }
            guard let answer else { throw APIError.notFound("Content", id.rawValue) }
            return context.respond(answer)
        }
        analytics.get("dashboard") { request, context -> Response in
            let actor = try context.requireActor()
            let (first, last) = try days(request)
            return context.respond(try await read(AnalyticsProjection.self, request, context) {
                try $0.dashboard(actor.workspaceId, fromDay: first, toDay: last)
            })
        }
        analytics.get("trends") { request, context -> Response in
            let actor = try context.requireActor()
            let (first, last) = try days(request)
            let content = try request.query("contentId").map { text in
                guard let id = ContentID(rawValue: text) else { throw APIError.malformedID("contentId", text, as: ContentID.self) }
                return id
            }
            let trends = try await read(AnalyticsProjection.self, request, context) { queries -> Trends? in
                if let content {
                    guard try queries.workspace(of: content) == actor.workspaceId else { return nil }
                    let series = try queries.content(content, fromDay: first, toDay: last).daily
                    return Trends(contentId: content, from: series.first?.date ?? "", to: series.last?.date ?? "", points: series)
                }
                let dashboard = try queries.dashboard(actor.workspaceId, fromDay: first, toDay: last, top: 0)
                return Trends(contentId: nil, from: dashboard.from, to: dashboard.to, points: dashboard.daily)
            }
            guard let trends else { throw APIError.notFound("Content", content?.rawValue ?? "") }
            return try context.respond(trends)
        }
        analytics.get("compare") { request, context -> Response in
            let actor = try context.requireActor()
            let (first, last) = try days(request)
            let ids = try (request.query("contentIds") ?? "").split(separator: ",").map { text in
                guard let id = ContentID(rawValue: String(text)) else { throw APIError.invalid("contentIds", "\(text) is not a cnt_… id") }
                return id
            }
            guard (2...20).contains(ids.count) else { throw APIError.invalid("contentIds", "compare takes 2 to 20 comma-separated content ids") }
            let compared = try await read(AnalyticsProjection.self, request, context) { queries in
                try ids.map { id -> ContentAnalytics in
                    guard try queries.workspace(of: id) == actor.workspaceId else { throw APIError.notFound("Content", id.rawValue) }
                    return try queries.content(id, fromDay: first, toDay: last)
                }
            }
            return try context.respond(["items": compared])
        }
        analytics.get("reports") { request, context -> Response in
            let actor = try context.requireActor()
            let (first, last) = try days(request)
            let report = try await read(AnalyticsProjection.self, request, context) { queries in
                let dashboard = try queries.dashboard(actor.workspaceId, fromDay: first, toDay: last)
                return Report(workspaceId: actor.workspaceId, from: dashboard.from, to: dashboard.to, totals: dashboard.totals,
                              topContent: dashboard.topContent,
                              bestPostingTimes: try queries.bestPostingTimes(actor.workspaceId, fromDay: first, toDay: last),
                              activeDays: dashboard.daily.filter { $0.views + $0.clicks + $0.shares + $0.engagement + $0.conversions > 0 }.count)
            }
            return try context.respond(report)
        }
        analytics.post("export") { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.decode(as: ExportBody.self, context: context)
            let format = body.format ?? "jsonl"
            guard format == "jsonl" || format == "csv" else { throw APIError.invalid("format", "format must be jsonl or csv") }
            let (first, last) = try days(from: body.from, to: body.to)
            let rows = try await read(AnalyticsProjection.self, request, context) { queries -> [ContentAnalytics] in
                let ids = try body.contentIds ?? queries.dashboard(actor.workspaceId, fromDay: first, toDay: last, top: .max)
                    .topContent.map(\.contentId)
                return try ids.map { id in
                    guard try queries.workspace(of: id) == actor.workspaceId else { throw APIError.notFound("Content", id.rawValue) }
                    return try queries.content(id, fromDay: first, toDay: last)
                }
            }
            let titles = try await read(ContentProjection.self, request, context) { queries in
                try Dictionary(rows.map { ($0.contentId, try queries.content($0.contentId, in: actor.workspaceId)?.title ?? "") },
                               uniquingKeysWith: { first, _ in first })
            }
            let scope = ExportScope(workspaceId: actor.workspaceId, from: Timestamp.isoDate(day: first),
                                    to: Timestamp.isoDate(day: last), titles: titles)
            return Self.export(rows, scope: scope, format: format)
        }
    }

    /// JSON lines or CSV, a row per content and day; the file name says the workspace and
    /// the range (`analytics-wsp_…-2026-01-01-2026-01-30.csv`).
    static func export(_ rows: [ContentAnalytics], scope: ExportScope, format: String) -> Response {
        var out = ""
        if format == "csv" { out += "workspaceId,contentId,title,date,views,clicks,shares,engagement,conversions,conversionValue\n" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for content in rows {
            let title = scope.titles[content.contentId] ?? ""
            for day in content.daily {
                if format == "csv" {
                    let numbers = [day.views, day.clicks, day.shares, day.engagement, day.conversions, day.conversionValue]
                        .map(Self.csvNumber)
                    out += "\(scope.workspaceId),\(content.contentId),\(Self.csvField(title)),\(day.date),"
                        + numbers.joined(separator: ",") + "\n"
                } else {
                    let line = ExportLine(workspaceId: scope.workspaceId, contentId: content.contentId, title: title, date: day.date,
                                          views: day.views, clicks: day.clicks, shares: day.shares, engagement: day.engagement,
                                          conversions: day.conversions, conversionValue: day.conversionValue)
                    out += String(decoding: (try? encoder.encode(line)) ?? Data(), as: UTF8.self)
                    out += "\n"
                }
            }
        }
        let type = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson"
        let file = "analytics-\(scope.workspaceId)-\(scope.from)-\(scope.to).\(format)"
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(file)\""],
                        body: .init(byteBuffer: ByteBuffer(string: out)))
    }

    /// A CSV field (RFC 4180): quoted, inner quotes doubled, when it holds a comma, quote
    /// or line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number as the JSON answers print it: integral values without a fraction.
    static func csvNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `?from=YYYY-MM-DD&to=YYYY-MM-DD`, as ``DayRange`` reads them.
    func days(_ request: Request) throws -> (Int64, Int64) {
        let query = request.uri.queryParameters
        return try days(from: query.get("from"), to: query.get("to"))
    }

    func days(from: String?, to: String?) throws -> (Int64, Int64) {
        do throws(DayRange.Problem) {
            let range = try DayRange(from: from, to: to, today: engine.now.utcDay)
            return (range.first, range.last)
        } catch {
            throw APIError.invalid(error.field, error.message())
        }
    }
}
