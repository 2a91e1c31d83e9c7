import EventLog
import Foundation
import HTTPTypes
import SmartContentServer
import Testing

/// Checks that hold for every route the router serves, so a route added later is covered
/// without anyone remembering to.
@Suite(.timeLimit(.minutes(5))) struct EveryRouteTests {
    static let open: Set<String> = [
        "GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.yaml",
        "POST /v1/auth/register", "POST /v1/auth/login", "POST /v1/auth/refresh",
    ]

    /// `/v1/content/{contentId}` with well-formed ids nobody has.
    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: "{contentId}", with: "cnt_nobodyhas")
            .replacingOccurrences(of: "{scheduleId}", with: "sch_nobodyhas")
            .replacingOccurrences(of: "{audienceId}", with: "aud_nobodyhas")
            .replacingOccurrences(of: "{channelId}", with: "chn_nobodyhas")
            .replacingOccurrences(of: "{jobId}", with: "job_nobodyhas")
            .replacingOccurrences(of: "{userId}", with: "usr_nobodyhas")
            .replacingOccurrences(of: "{workspaceId}", with: "wsp_nobodyhas")
            .replacingOccurrences(of: "{webhookId}", with: "whk_nobodyhas")
    }

    static func split(_ route: String) -> (HTTPRequest.Method, String) {
        let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
        return (HTTPRequest.Method(parts[0])!, parts[1])
    }

    @Test func everyRouteButTheOpenOnesWantsAToken() async throws {
        try await withAPI { api, _, server in
            for route in server.routes where !Self.open.contains(route) {
                let (method, path) = Self.split(route)
                let answer = try await api.call(method, Self.concrete(path), json: method == .get || method == .delete ? nil : "{}")
                #expect(answer.status == .unauthorized, "\(route)")
                #expect(answer.errorCode == "UNAUTHORIZED", "\(route)")
                #expect(answer.json["requestId"]?.stringValue != nil, "\(route)")
            }
        }
    }

    @Test func everyRouteWithAnIdAnswers404ForAnIdNobodyHas() async throws {
        try await withAPI { api, _, server in
            let ann = try await api.user("ann@example.com")
            for route in server.routes where route.contains("{") && !route.hasSuffix("/members") {
                let (method, path) = Self.split(route)
                let body: String? = switch route {
                case let r where r.hasSuffix("/refine"): #"{"instructions":"shorter"}"#
                case let r where r.hasPrefix("PUT /v1/content"): #"{"title":"T"}"#
                case let r where r.hasPrefix("PUT /v1/schedules"): #"{"timezone":"UTC"}"#
                case let r where r.hasPrefix("PUT /v1/audiences"): #"{"name":"A"}"#
                case let r where r.hasSuffix("/replay"): #"{"fromPosition":0}"#
                default: nil
                }
                let answer = try await api.call(method, Self.concrete(path), token: ann.token, json: body)
                #expect(answer.status == .notFound, "\(route): \(answer.text)")
                #expect(answer.errorCode == "NOT_FOUND", "\(route)")
            }
            // Members of a workspace nobody has: as absent as the rest.
            #expect(try await api.call(.get, Self.concrete("/v1/workspaces/{workspaceId}/members"), token: ann.token).status == .notFound)
        }
    }

    @Test func everyWriteRouteRefusesAMalformedBodyWithAField() async throws {
        try await withAPI { api, _, server in
            let ann = try await api.user("ann@example.com")
            let created = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"T","body":"B","contentType":"article"}"#)
            let id = try #require(created.data["contentId"]?.stringValue)
            for route in server.routes where route.hasPrefix("POST /v1") || route.hasPrefix("PUT /v1") {
                guard route != "POST /v1/auth/logout" else { continue }
                let (method, path) = Self.split(route)
                let concrete = path.replacingOccurrences(of: "{contentId}", with: id)
                    .replacingOccurrences(of: "{workspaceId}", with: ann.workspaceId)
                guard !concrete.contains("{") else { continue }
                // Every field of an export is optional, and unknown ones are ignored.
                let wrongTypes = route == "POST /v1/analytics/export" ? [] : [#"{"title": 5, "email": 5, "events": 5, "name": 5, "contentId": 5}"#]
                for body in ["{not json", "[]"] + wrongTypes {
                    let answer = try await api.call(method, concrete, token: ann.token, json: body)
                    #expect(answer.status == .badRequest, "\(route) with \(body): \(answer.text)")
                    #expect(answer.errorCode == "INVALID_PARAMETERS", "\(route)")
                    #expect(answer.errorField != nil, "\(route) with \(body) names the field")
                }
            }
        }
    }

    /// A path id that cannot be one (too long, wrong prefix, bytes no id has) is refused as
    /// a bad request naming its parameter, never looked up.
    @Test func everyRouteWithAnIdRefusesAMalformedOneNamingTheParameter() async throws {
        try await withAPI { api, _, server in
            let ann = try await api.user("ann@example.com")
            let malformed = ["cnt_" + String(repeating: "x", count: 600), "not-an-id", "usr_%E2%9C%93"]
            for route in server.routes where route.contains("{") {
                let (method, path) = Self.split(route)
                let parameter = String(path.split(separator: "{")[1].split(separator: "}")[0])
                for id in malformed {
                    let concrete = path.replacingOccurrences(of: "{\(parameter)}", with: id)
                    let answer = try await api.call(method, concrete, token: ann.token, json: method == .get || method == .delete ? nil : "{}")
                    #expect(answer.status == .badRequest, "\(route) with \(id.prefix(20)): \(answer.text)")
                    #expect(answer.errorCode == "INVALID_PARAMETERS", "\(route)")
                    #expect(answer.errorField == parameter, "\(route)")
                }
            }
        }
    }

    /// A cursor is a store key: an empty one (LMDB refuses zero-length keys) or one longer
    /// than a key may be answered 500 before; they are the client's mistake.
    @Test func everyPagedRouteRefusesACursorItDidNotGive() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            for path in ["/v1/content", "/v1/schedules", "/v1/events"] {
                for cursor in ["", "zz", "abc", String(repeating: "ab", count: 512)] {
                    let answer = try await api.call(.get, path + "?cursor=" + cursor, token: ann.token)
                    #expect(answer.status == .badRequest, "\(path)?cursor=\(cursor.prefix(8)): \(answer.text)")
                    #expect(answer.errorField == "cursor", "\(path)")
                }
            }
        }
    }

    /// `X-Workspace-Id:` with nothing in it names no workspace: the caller's own.
    @Test func anEmptyWorkspaceHeaderIsAbsent() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            for value in ["", " "] {
                let answer = try await api.call(.get, "/v1/content", token: ann.token, headers: [HTTPField.Name("X-Workspace-Id")!: value])
                #expect(answer.status == .ok, "'\(value)': \(answer.text)")
            }
        }
    }

    /// The same refusal twice is the same bytes but for its request id.
    @Test func errorEnvelopesKeepOneKeyOrder() async throws {
        try await withAPI { api, _, _ in
            var bodies: Set<String> = []
            for _ in 0..<20 {
                let answer = try await api.call(.post, "/v1/auth/login", json: #"{"email":"nobody@example.com","password":"Wrong-Horse-99"}"#)
                let requestId = try #require(answer.json["requestId"]?.stringValue)
                bodies.insert(answer.text.replacingOccurrences(of: requestId, with: "req"))
            }
            #expect(bodies.count == 1, "\(bodies)")
            #expect(bodies.first?.hasPrefix(#"{"error":{"code":"UNAUTHORIZED","details":{},"message""#) == true, "\(bodies)")
        }
    }
}
