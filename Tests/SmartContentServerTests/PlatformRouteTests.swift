import EventLog
import Foundation
import HTTPTypes
import NIOCore
import SmartContent
import SmartContentTesting
import Testing

@Suite(.timeLimit(.minutes(5))) struct PlatformRouteTests {
    /// Ann's workspace with one content; returns (token, contentId).
    func annWithContent(_ api: APIClient) async throws -> (token: String, contentId: String, user: String) {
        let ann = try await api.user("ann@example.com")
        let created = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"Hello","body":"B","contentType":"article"}"#)
        return (ann.token, created.data["contentId"]?.stringValue ?? "", ann.userId)
    }

    /// What analytics users ran into: retried batches counted twice, engagement from the
    /// future, engagement with deleted content, exports of bare ids.
    @Test func ingestionRefusesWhatWouldSkewTheFiguresAndExportsSayWhatTheyCover() async throws {
        try await withAPI { api, _, _ in
            let (token, id, _) = try await annWithContent(api)
            // The test clock reads 2026-02-15T10:00:00Z; five minutes of skew are allowed.
            let soon = try await api.call(.post, "/v1/analytics/events", token: token,
                                          json: #"{"contentId":"\#(id)","kind":"view","occurredAt":"2026-02-15T10:04:00Z"}"#)
            #expect(soon.status == .accepted)
            let future = try await api.call(.post, "/v1/analytics/events", token: token,
                                            json: #"{"contentId":"\#(id)","kind":"view","occurredAt":"2029-02-15T10:00:00Z"}"#)
            #expect(future.status == .badRequest)
            #expect(future.errorField == "events[0].occurredAt")
            #expect(future.json["error"]?["message"]?.stringValue?.contains("future") == true, "\(future.text)")

            // A batch retried with the same Idempotency-Key counts once; another key counts again.
            let batch = #"{"events":[{"contentId":"\#(id)","kind":"click"},{"contentId":"\#(id)","kind":"share"}]}"#
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "batch-42"]
            let first = try await api.call(.post, "/v1/analytics/events", token: token, json: batch, headers: key)
            let retried = try await api.call(.post, "/v1/analytics/events", token: token, json: batch, headers: key)
            #expect(first.data["accepted"] == .number("2"))
            #expect(retried.status == .accepted)
            #expect(retried.data["accepted"] == .number("0"), "a retry with the same key counts nothing")
            let other = try await api.call(.post, "/v1/analytics/events", token: token, json: batch,
                                           headers: [HTTPField.Name("Idempotency-Key")!: "batch-43"])
            #expect(other.data["accepted"] == .number("2"))
            let badKey = try await api.call(.post, "/v1/analytics/events", token: token, json: batch,
                                            headers: [HTTPField.Name("Idempotency-Key")!: String(repeating: "k", count: 300)])
            #expect(badKey.errorField == "Idempotency-Key")
            let totals = try await api.call(.get, "/v1/analytics/content/\(id)?from=2026-02-15&to=2026-02-15", token: token)
            #expect(totals.data["totals"]?["clicks"] == .number("2"))
            #expect(totals.data["totals"]?["shares"] == .number("2"))

            // The export names the workspace, each content's title and, in its file name, the range.
            let export = try await api.call(.post, "/v1/analytics/export", token: token, json: #"{"from":"2026-02-15","to":"2026-02-15"}"#)
            let firstLine = String(export.text.split(separator: "\n").first ?? "")
            let line = try JSONValue(parsing: firstLine)
            #expect(line["title"] == .string("Hello"))
            #expect(line["workspaceId"]?.stringValue?.hasPrefix("wsp_") == true)
            #expect(export.headers[.contentDisposition]?.contains("-2026-02-15-2026-02-15.jsonl") == true)

            // Engagement with deleted content is refused as absent: no ranking counts it.
            #expect(try await api.call(.delete, "/v1/content/\(id)", token: token).status == .noContent)
            let afterDelete = try await api.call(.post, "/v1/analytics/events", token: token, json: #"{"contentId":"\#(id)","kind":"view"}"#)
            #expect(afterDelete.status == .notFound, "\(afterDelete.text)")
        }
    }

    @Test func engagementIngestionAndAnalytics() async throws {
        try await withAPI { api, _, _ in
            let (token, id, _) = try await annWithContent(api)
            let single = try await api.call(.post, "/v1/analytics/events", token: token,
                                            json: #"{"contentId":"\#(id)","kind":"view","userId":"reader-1","occurredAt":"2026-02-14T09:00:00Z"}"#)
            #expect(single.status == .accepted)
            #expect(single.data["accepted"] == .number("1"))
            let eventId = "0196f5d2-7a50-7000-8000-000000000001"
            let batch = #"{"events":[{"contentId":"\#(id)","kind":"click","occurredAt":"2026-02-14T10:00:00Z","eventId":"\#(eventId)"},{"contentId":"\#(id)","kind":"conversion","value":19.5,"occurredAt":"2026-02-15T08:00:00Z"}]}"#
            let accepted = try await api.call(.post, "/v1/analytics/events", token: token, json: batch)
            #expect(accepted.data["accepted"] == .number("2"))
            let retry = try await api.call(.post, "/v1/analytics/events", token: token,
                                           json: #"{"contentId":"\#(id)","kind":"click","occurredAt":"2026-02-14T10:00:00Z","eventId":"\#(eventId)"}"#)
            #expect(retry.status == .accepted)
            #expect(retry.data["accepted"] == .number("0"), "a retried event id counts once")
            let position = try #require(retry.position ?? accepted.position)

            let analytics = try await api.call(.get, "/v1/analytics/content/\(id)?from=2026-02-14&to=2026-02-15&minPosition=\(position)", token: token)
            #expect(analytics.status == .ok, "\(analytics.text)")
            #expect(analytics.data["totals"]?["views"] == .number("1"))
            #expect(analytics.data["totals"]?["clicks"] == .number("1"))
            #expect(analytics.data["totals"]?["conversions"] == .number("1"))
            #expect(analytics.data["totals"]?["conversionValue"] == .number("19.5"))
            #expect(analytics.data["daily"]?.count == 2)
            #expect(analytics.data["daily"]?[0]?["date"] == .string("2026-02-14"))

            let dashboard = try await api.call(.get, "/v1/analytics/dashboard?from=2026-02-14&to=2026-02-15", token: token)
            #expect(dashboard.data["totals"]?["views"] == .number("1"))
            #expect(dashboard.data["topContent"]?[0]?["contentId"] == .string(id))
            let trends = try await api.call(.get, "/v1/analytics/trends?from=2026-02-14&to=2026-02-15&contentId=\(id)", token: token)
            #expect(trends.data["points"]?.count == 2)
            let report = try await api.call(.get, "/v1/analytics/reports?from=2026-02-14&to=2026-02-15", token: token)
            #expect(report.data["activeDays"] == .number("2"))
            #expect(report.data["bestPostingTimes"]?.count ?? 0 >= 1)
            let other = try await api.call(.post, "/v1/content", token: token, json: #"{"title":"Other","body":"B","contentType":"article"}"#)
            let otherId = try #require(other.data["contentId"]?.stringValue)
            let compare = try await api.call(.get, "/v1/analytics/compare?contentIds=\(id),\(otherId)&from=2026-02-14&to=2026-02-15&minPosition=\(other.position ?? 0)", token: token)
            #expect(compare.data["items"]?.count == 2)
            #expect(try await api.call(.get, "/v1/analytics/compare?contentIds=\(id)", token: token).errorField == "contentIds")

            let csv = try await api.call(.post, "/v1/analytics/export", token: token,
                                         json: #"{"from":"2026-02-14","to":"2026-02-15","format":"csv","contentIds":["\#(id)"]}"#)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.split(separator: "\n").count == 3)
            #expect(csv.text.contains("\(id),Hello,2026-02-15,0,0,0,0,1,19.5"), "numbers as in the JSON answers: \(csv.text)")
            let lines = try await api.call(.post, "/v1/analytics/export", token: token, json: #"{"from":"2026-02-14","to":"2026-02-15"}"#)
            // Without contentIds: every content of the workspace that has engagement, a line per day.
            #expect(lines.text.split(separator: "\n").count == 2)
            #expect(lines.headers[.contentType] == "application/x-ndjson")

            // Errors: unknown kind, bad dates, an empty or oversized batch, unknown content, bad values.
            #expect(try await api.call(.post, "/v1/analytics/events", token: token, json: #"{"contentId":"\#(id)","kind":"like"}"#).errorField == "kind")
            #expect(try await api.call(.post, "/v1/analytics/events", token: token, json: #"{"events":[]}"#).errorField == "events")
            let tooMany = "{\"events\":[" + Array(repeating: #"{"contentId":"\#(id)","kind":"view"}"#, count: 1001).joined(separator: ",") + "]}"
            #expect(try await api.call(.post, "/v1/analytics/events", token: token, json: tooMany).errorField == "events")
            #expect(try await api.call(.post, "/v1/analytics/events", token: token, json: #"{"contentId":"cnt_ghost","kind":"view"}"#).status == .notFound)
            #expect(try await api.call(.post, "/v1/analytics/events", token: token,
                                       json: #"{"contentId":"\#(id)","kind":"view","value":-1}"#).status == .badRequest)
            #expect(try await api.call(.post, "/v1/analytics/events", token: token,
                                       json: #"{"contentId":"\#(id)","kind":"view","eventId":"nope"}"#).errorField == "events[0].eventId")
            #expect(try await api.call(.get, "/v1/analytics/dashboard?from=2026-13-01", token: token).errorField == "from")
            #expect(try await api.call(.get, "/v1/analytics/dashboard?from=2026-02-15&to=2026-02-14", token: token).errorField == "from")
            #expect(try await api.call(.post, "/v1/analytics/export", token: token, json: #"{"format":"xml"}"#).errorField == "format")
        }
    }

    @Test func schedulesAndOptimalTimes() async throws {
        try await withAPI { api, _, _ in
            let (token, id, _) = try await annWithContent(api)
            let channel = try await api.call(.post, "/v1/distribution/channels", token: token,
                                             json: #"{"name":"Blog","kind":"webhook","url":"https://example.com/hook"}"#)
            #expect(channel.status == .created)
            let secret = try #require(channel.data["secret"]?.stringValue, "the generated secret, shown once")
            #expect(WebhookSecret.isValid(secret))
            let channelId = try #require(channel.data["channelId"]?.stringValue)
            let listedChannels = try await api.call(.get, "/v1/distribution/channels", token: token)
            #expect(!listedChannels.text.contains(secret) && listedChannels.text.contains(channelId), "never again")
            let refused = try await api.call(.post, "/v1/distribution/channels", token: token,
                                             json: #"{"name":"Bad","url":"https://example.com/hook","secret":"s3cret"}"#)
            #expect(refused.status == .badRequest && refused.errorField == "secret", "\(refused.text)")
            let created = try await api.call(.post, "/v1/schedules", token: token,
                                             json: #"{"contentId":"\#(id)","publishTime":"2026-03-01T09:00:00Z","timezone":"Europe/Paris","channels":["\#(channelId)"]}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.data["status"] == .string("scheduled"))
            let scheduleId = try #require(created.data["scheduleId"]?.stringValue)
            #expect(try await api.call(.get, "/v1/schedules/\(scheduleId)", token: token).data["timezone"] == .string("Europe/Paris"))
            let listed = try await api.call(.get, "/v1/schedules?from=2026-03-01&to=2026-03-01", token: token)
            #expect(listed.data["items"]?.count == 1)
            let moved = try await api.call(.put, "/v1/schedules/\(scheduleId)", token: token, json: #"{"publishTime":"2026-03-02T09:00:00Z"}"#)
            #expect(moved.data["publishTime"] == .string("2026-03-02T09:00:00.000Z"))
            let cancelled = try await api.call(.delete, "/v1/schedules/\(scheduleId)", token: token)
            #expect(cancelled.status == .noContent)
            #expect(try await api.call(.get, "/v1/schedules/\(scheduleId)?minPosition=\(cancelled.position ?? 0)", token: token).data["status"] == .string("cancelled"))

            #expect(try await api.call(.post, "/v1/schedules", token: token,
                                       json: #"{"contentId":"\#(id)","publishTime":"2020-01-01T00:00:00Z","timezone":"UTC"}"#).errorField == "publishTime")
            #expect(try await api.call(.post, "/v1/schedules", token: token,
                                       json: #"{"contentId":"\#(id)","publishTime":"2026-03-01T09:00:00Z","timezone":"Nowhere/Town"}"#).errorField == "timezone")
            #expect(try await api.call(.post, "/v1/schedules", token: token,
                                       json: #"{"contentId":"\#(id)","publishTime":"2026-03-01T09:00:00Z","timezone":"UTC","channels":["chn_ghost"]}"#).status == .badRequest)
            #expect(try await api.call(.get, "/v1/schedules/sch_ghost", token: token).status == .notFound)

            _ = try await api.call(.post, "/v1/analytics/events", token: token, json: #"{"contentId":"\#(id)","kind":"view","occurredAt":"2026-02-09T14:30:00Z"}"#)
            let best = try await api.call(.get, "/v1/schedules/optimal-times?minPosition=\(try engine(api, token))", token: token)
            #expect(best.data[0]?["dayOfWeek"] == .number("0"), "2026-02-09 is a Monday")
            #expect(best.data[0]?["hour"] == .number("14"))
        }
    }

    /// The position the last write reached, through the events route.
    func engine(_ api: APIClient, _ token: String) async throws -> UInt64 {
        let log = try await api.call(.get, "/v1/events?limit=100", token: token)
        guard case .array(let items)? = log.data["items"], let last = items.last?["position"]?.integerValue else { return 0 }
        return UInt64(last)
    }

    @Test func audiencesChannelsAndPublication() async throws {
        try await withAPI { api, _, _ in
            let (token, id, _) = try await annWithContent(api)
            let audience = try await api.call(.post, "/v1/audiences", token: token,
                                              json: #"{"name":"Techies","criteria":{"keywords":["ai"],"contentTypes":["article"],"members":["reader-1"]}}"#)
            #expect(audience.status == .created, "\(audience.text)")
            let audienceId = try #require(audience.data["audienceId"]?.stringValue)
            #expect(try await api.call(.get, "/v1/audiences?minPosition=\(audience.position ?? 0)", token: token).data["items"]?.count == 1)
            let renamed = try await api.call(.put, "/v1/audiences/\(audienceId)", token: token, json: #"{"name":"Geeks"}"#)
            #expect(renamed.data["name"] == .string("Geeks"))
            #expect(try await api.call(.get, "/v1/audiences/\(audienceId)", token: token).status == .ok)
            #expect(try await api.call(.delete, "/v1/audiences/\(audienceId)", token: token).status == .noContent)
            #expect(try await api.call(.get, "/v1/audiences/aud_ghost", token: token).status == .notFound)
            #expect(try await api.call(.post, "/v1/audiences", token: token, json: #"{"criteria":{}}"#).errorField == "name")

            let channel = try await api.call(.post, "/v1/distribution/channels", token: token,
                                             json: #"{"name":"Hook","kind":"webhook","url":"https://example.com/in"}"#)
            let channelId = try #require(channel.data["channelId"]?.stringValue)
            #expect(try await api.call(.get, "/v1/distribution/channels", token: token).data["items"]?.count == 1)
            #expect(try await api.call(.post, "/v1/distribution/channels", token: token,
                                       json: #"{"name":"Mail","kind":"smtp","url":"https://example.com"}"#).status == .badRequest)
            #expect(try await api.call(.post, "/v1/distribution/channels", token: token,
                                       json: #"{"name":"Bad","url":"not a url"}"#).status == .badRequest)
            let published = try await api.call(.post, "/v1/distribution/publish", token: token,
                                               json: #"{"contentId":"\#(id)","channels":["\#(channelId)"]}"#)
            #expect(published.status == .accepted, "\(published.text)")
            let jobId = try #require(published.data["jobId"]?.stringValue)
            let job = try await api.call(.get, "/v1/distribution/status/\(jobId)?minPosition=\(published.position ?? 0)", token: token)
            #expect(job.data["status"] == .string("queued"))
            #expect(job.data["deliveries"]?.count == 1)
            #expect(try await api.call(.get, "/v1/distribution/status/job_ghost", token: token).status == .notFound)
            #expect(try await api.call(.delete, "/v1/distribution/channels/\(channelId)", token: token).status == .noContent)
        }
    }

    @Test func theLogProjectionsAndOperationalRoutes() async throws {
        try await withAPI { api, _, _ in
            let (token, _, _) = try await annWithContent(api)
            let health = try await api.call(.get, "/healthz")
            #expect(health.status == .ok)
            // Ready only once the server's projection service has seen them catch up; the
            // router alone never started it (the end-to-end test sees 200 from a real server).
            let ready = try await api.call(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.errorCode == "NOT_READY")
            #expect(ready.headers[.retryAfter] == "1")
            let events = try await api.call(.get, "/v1/events?limit=2", token: token)
            #expect(events.data["items"]?.count == 2)
            #expect(events.data["items"]?[0]?["type"] == .string("UserRegistered"))
            #expect(events.data["items"]?[0]?["data"]?["email"] == .string("ann@example.com"), "decrypted for admins")
            let next = try #require(events.data["nextCursor"]?.stringValue)
            #expect(try await api.call(.get, "/v1/events?limit=2&cursor=\(next)", token: token).data["items"]?[0]?["position"] == .number("3"))
            #expect(try await api.call(.get, "/v1/events?type=ContentCreated", token: token).data["items"]?.count == 1)
            let projections = try await api.call(.get, "/v1/projections", token: token)
            #expect(projections.data.count == 9)
            #expect(projections.data[0]?["status"]?.stringValue != nil, "DESIGN's field name")

            let metrics = try await api.call(.get, "/metrics")
            #expect(metrics.text.contains("http_requests_total"))
            #expect(metrics.text.contains("smartcontent_projection_lag"))
            #expect(metrics.text.contains(#"route="/v1/events""#))
            let spec = try await api.call(.get, "/openapi.yaml")
            #expect(spec.text.hasPrefix("openapi: 3"))
        }
    }

    @Test func viewersReadButNeverWriteAndOnlyAdminsReadTheLog() async throws {
        try await withAPI { api, _, _ in
            let (token, id, _) = try await annWithContent(api)
            let vic = try await api.user("vic@example.com")
            let me = try await api.call(.get, "/v1/users/me", token: token)
            let workspace = try #require(me.data["workspaceId"]?.stringValue)
            _ = try await api.call(.post, "/v1/workspaces/\(workspace)/members", token: token, json: #"{"email":"vic@example.com","role":"viewer"}"#)
            let asViewer: HTTPFields = [HTTPField.Name("X-Workspace-Id")!: workspace]
            #expect(try await api.call(.get, "/v1/content/\(id)", token: vic.token, headers: asViewer).status == .ok)
            for (method, path, body) in [
                (HTTPRequest.Method.post, "/v1/content", #"{"title":"T","body":"B","contentType":"article"}"#),
                (.put, "/v1/content/\(id)", #"{"title":"T2"}"#), (.delete, "/v1/content/\(id)", nil),
                (.post, "/v1/audiences", #"{"name":"A"}"#),
                (.post, "/v1/distribution/channels", #"{"name":"H","url":"https://example.com"}"#),
            ] as [(HTTPRequest.Method, String, String?)] {
                let refused = try await api.call(method, path, token: vic.token, json: body, headers: asViewer)
                #expect(refused.status == .forbidden, "\(method) \(path): \(refused.text)")
                #expect(refused.errorCode == "FORBIDDEN")
            }
            #expect(try await api.call(.get, "/v1/events", token: vic.token, headers: asViewer).status == .forbidden)
        }
    }

    @Test func envelopesHeadersAndLimitsOfTheTransport() async throws {
        try await withAPI(rateLimitPerUser: 5) { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let echoed = try await api.call(.get, "/healthz", headers: [HTTPField.Name("X-Request-Id")!: "client-trace-42"])
            #expect(echoed.headers[HTTPField.Name("X-Request-Id")!] == "client-trace-42")
            #expect(echoed.json["requestId"] == .string("client-trace-42"))
            let replaced = try await api.call(.get, "/healthz", headers: [HTTPField.Name("X-Request-Id")!: "bad id with spaces"])
            #expect(replaced.headers[HTTPField.Name("X-Request-Id")!]?.hasPrefix("req_") == true)
            #expect(try await api.call(.head, "/healthz").status == .ok, "HEAD answers wherever GET does")
            let unknown = try await api.call(.get, "/v1/nowhere", token: ann.token)
            #expect(unknown.status == .notFound)
            #expect(unknown.json["success"] == .bool(false))
            #expect(unknown.headers[HTTPField.Name("X-Request-Id")!] != nil)

            let huge = String(repeating: "x", count: 10 * 1024 * 1024 + 10)
            let tooLarge = try await api.call(.post, "/v1/content", token: ann.token,
                                              json: #"{"title":"T","body":"\#(huge)","contentType":"article"}"#)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.errorCode == "PAYLOAD_TOO_LARGE")
            #expect(try await api.call(.get, "/v1/content?minPosition=abc", token: ann.token).errorField == "minPosition")

            // The per-user limit is 5 an hour here: the rest are refused with Retry-After.
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<7 { statuses.append(try await api.call(.get, "/v1/users/me", token: ann.token).status) }
            #expect(statuses.contains(.tooManyRequests))
            let limited = try await api.call(.get, "/v1/users/me", token: ann.token)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.errorCode == "RATE_LIMITED")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
        }
    }
}
