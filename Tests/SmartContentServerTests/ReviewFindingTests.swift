import EventLog
import Foundation
import HTTPTypes
import SmartContent
import SmartContentTesting
import Testing

/// Findings of an outside review of the API, each pinned by a test.
@Suite(.timeLimit(.minutes(5))) struct ReviewFindingTests {
    @Test func anAdminReadsOnlyTheirWorkspacesLogAndNeverAPasswordHash() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let bob = try await api.user("bob@example.com")
            _ = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"Ann's secret","body":"B","contentType":"article"}"#)
            let bobs = try await api.call(.get, "/v1/events?limit=100", token: bob.token)
            #expect(bobs.status == .ok)
            #expect(!bobs.text.contains("ann@example.com") && !bobs.text.contains("Ann's secret"), "\(bobs.text)")
            #expect(bobs.data["items"]?.count == 3, "Bob's own registration, workspace and membership")
            let anns = try await api.call(.get, "/v1/events?limit=100", token: ann.token)
            #expect(anns.text.contains("Ann's secret"))
            #expect(!anns.text.contains("$2"), "no bcrypt hash over HTTP")
            #expect(anns.text.contains(#""passwordHash":"[redacted]""#))
            // The wire format exactly as `replay` prints it: field order and numbers kept.
            #expect(anns.text.contains(#"{"items":[{"position":1,"stream":"user-"#), "\(anns.text.prefix(200))")
        }
    }

    @Test func anAdminSeesOnlyTheUsersOfTheirWorkspace() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let bob = try await api.user("bob@example.com")
            let peek = try await api.call(.get, "/v1/users/\(ann.userId)", token: bob.token)
            #expect(peek.status == .notFound)
            #expect(!peek.text.contains("ann@example.com"))
        }
    }

    @Test func concurrentUnconditionalUpdatesAllLandAndEachAnswersWithItsOwnVersion() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let created = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"v1","body":"B","contentType":"article"}"#)
            let id = try #require(created.data["contentId"]?.stringValue)
            let answers = try await withThrowingTaskGroup(of: (String, APIResponse).self) { group in
                for n in 0..<8 {
                    group.addTask {
                        ("w\(n)", try await api.call(.put, "/v1/content/\(id)", token: ann.token, json: #"{"title":"w\#(n)"}"#))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for (title, answer) in answers {
                #expect(answer.status == .ok, "\(title): \(answer.text)")
                #expect(answer.data["title"] == .string(title), "the answer shows the caller's own write")
            }
            let versions = Set(answers.compactMap { $0.1.data["version"]?.integerValue })
            #expect(versions == Set(2...9))
        }
    }

    @Test func viewersCannotRecordEngagementAndBearerIsCaseInsensitive() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let vic = try await api.user("vic@example.com")
            let created = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"T","body":"B","contentType":"article"}"#)
            let id = try #require(created.data["contentId"]?.stringValue)
            _ = try await api.call(.post, "/v1/workspaces/\(ann.workspaceId)/members", token: ann.token, json: #"{"email":"vic@example.com","role":"viewer"}"#)
            let asViewer: HTTPFields = [HTTPField.Name("X-Workspace-Id")!: ann.workspaceId]
            let engaged = try await api.call(.post, "/v1/analytics/events", token: vic.token, json: #"{"contentId":"\#(id)","kind":"view"}"#,
                                             headers: asViewer)
            #expect(engaged.status == .forbidden)
            let lower = try await api.call(.get, "/v1/users/me", headers: [.authorization: "bearer \(ann.token)"])
            #expect(lower.status == .ok)
            // One shape for content everywhere: tone is null when unset, in lists too.
            let list = try await api.call(.get, "/v1/content", token: ann.token)
            #expect(list.data["items"]?[0]?["tone"] == .null)
        }
    }

    @Test func aSpentRefreshTokenPresentedAgainEndsTheSession() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let rotated = try await api.call(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(ann.refresh)"}"#)
            let current = try #require(rotated.data["refreshToken"]?.stringValue)
            let token = try #require(rotated.data["accessToken"]?.stringValue)
            // The old one again: someone kept a copy. Nobody keeps a working token.
            #expect(try await api.call(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(ann.refresh)"}"#).status == .unauthorized)
            #expect(try await api.call(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(current)"}"#).status == .unauthorized)
            #expect(try await api.call(.get, "/v1/users/me", token: token).status == .unauthorized)
        }
    }

    @Test func titlesWithControlCharactersAndPositionsBeyondTheLogAreRefused() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let nul = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"a\u0000b","body":"B","contentType":"article"}"#)
            #expect(nul.errorField == "title")
            // Every read route, the point reads too, refuses at once rather than after the
            // timeout: waiting would end in 503 NOT_YET_CONSISTENT, not in a field error.
            let created = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"T","body":"B","contentType":"article"}"#)
            let id = try #require(created.data["contentId"]?.stringValue)
            for path in ["/v1/content?minPosition=999999", "/v1/content/\(id)?minPosition=999999",
                         "/v1/analytics/content/\(id)?minPosition=999999"] {
                let beyond = try await api.call(.get, path, token: ann.token)
                #expect(beyond.status == .badRequest, "\(path): \(beyond.text)")
                #expect(beyond.errorField == "minPosition", "\(path): \(beyond.text)")
            }
        }
    }
}
