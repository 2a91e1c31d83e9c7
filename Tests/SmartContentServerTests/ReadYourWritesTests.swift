import EventLog
import Foundation
import HTTPTypes
import SmartContentServer
import Testing

/// A client that writes and then reads sees its write, without `X-Min-Position`: the
/// server remembers how far each session wrote and its reads wait for that.
@Suite(.timeLimit(.minutes(5))) struct ReadYourWritesTests {
    @Test func aSessionReadsItsOwnWritesOnEveryWriteRoute() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let bob = try await api.user("bob@example.com")
            func call(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> APIResponse {
                try await api.call(method, path, token: ann.token, json: body)
            }
            func content() async throws -> String {
                let created = try await call(.post, "/v1/content", #"{"title":"T","body":"B","contentType":"article"}"#)
                return try #require(created.data["contentId"]?.stringValue)
            }
            let engaged = try await content()
            let channel = try await call(.post, "/v1/distribution/channels", #"{"name":"Hook","kind":"webhook","url":"https://example.com/h"}"#)
            let channelId = try #require(channel.data["channelId"]?.stringValue)
            let bobsEmail = "bob@example.com"
            var stale: [String] = []
            var views = 0
            for round in 0..<200 {
                switch round % 8 {
                case 0:
                    let id = try await content()
                    _ = try await call(.delete, "/v1/content/\(id)")
                    let read = try await call(.get, "/v1/content/\(id)")
                    if read.status == .ok, read.data["status"] != .string("deleted") { stale.append("delete content: \(read.text)") }
                case 1:
                    _ = try await call(.post, "/v1/analytics/events", #"{"contentId":"\#(engaged)","kind":"view"}"#)
                    views += 1
                    let read = try await call(.get, "/v1/analytics/content/\(engaged)")
                    if read.data["totals"]?["views"] != .number(String(views)) { stale.append("engagement: \(read.text)") }
                case 2:
                    let created = try await call(.post, "/v1/audiences", #"{"name":"A\#(round)"}"#)
                    let id = try #require(created.data["audienceId"]?.stringValue)
                    _ = try await call(.delete, "/v1/audiences/\(id)")
                    let read = try await call(.get, "/v1/audiences/\(id)")
                    if read.status != .notFound { stale.append("delete audience: \(read.text)") }
                case 3:
                    _ = try await call(.put, "/v1/users/me", #"{"name":"Ann \#(round)"}"#)
                    let read = try await call(.get, "/v1/users/me")
                    if read.data["name"] != .string("Ann \(round)") { stale.append("profile: \(read.text)") }
                case 4:
                    let id = try await content()
                    let at = "2030-01-0\(round % 7 + 1)T09:00:00Z"
                    let scheduled = try await call(.post, "/v1/schedules",
                                                   #"{"contentId":"\#(id)","publishTime":"\#(at)","timezone":"UTC","channels":["\#(channelId)"]}"#)
                    let scheduleId = try #require(scheduled.data["scheduleId"]?.stringValue, "\(scheduled.text)")
                    _ = try await call(.delete, "/v1/schedules/\(scheduleId)")
                    let read = try await call(.get, "/v1/schedules/\(scheduleId)")
                    if read.data["status"] != .string("cancelled") { stale.append("cancel schedule: \(read.text)") }
                case 5:
                    let connected = try await call(.post, "/v1/distribution/channels",
                                                   #"{"name":"C\#(round)","kind":"webhook","url":"https://example.com/c"}"#)
                    let id = try #require(connected.data["channelId"]?.stringValue)
                    _ = try await call(.delete, "/v1/distribution/channels/\(id)")
                    let read = try await call(.get, "/v1/distribution/channels")
                    if read.text.contains(id) { stale.append("disconnect channel: \(read.text)") }
                case 6:
                    let id = try await content()
                    _ = try await call(.put, "/v1/content/\(id)", #"{"title":"Round \#(round)"}"#)
                    _ = try await call(.delete, "/v1/content/\(id)")
                    let listed = try await call(.get, "/v1/content?status=draft&limit=100")
                    if listed.text.contains(id) { stale.append("list after delete: \(id)") }
                default:
                    let path = "/v1/workspaces/\(ann.workspaceId)/members"
                    if round == 7 {
                        _ = try await call(.post, path, #"{"email":"\#(bobsEmail)","role":"viewer"}"#)
                        let read = try await call(.get, path)
                        if !read.text.contains(bob.userId) { stale.append("member: \(read.text)") }
                    } else {
                        _ = try await call(.post, "/v1/analytics/events", #"{"contentId":"\#(engaged)","kind":"click"}"#)
                        let read = try await call(.get, "/v1/analytics/dashboard")
                        if read.status != .ok { stale.append("dashboard: \(read.text)") }
                    }
                }
            }
            #expect(stale.isEmpty, "\(stale.count) stale reads of 200: \(stale.prefix(3))")
        }
    }
}
