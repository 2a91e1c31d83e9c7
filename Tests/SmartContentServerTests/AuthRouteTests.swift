import EventLog
import Foundation
import HTTPTypes
import SmartContent
import SmartContentProjections
import SmartContentServer
import SmartContentTesting
import Testing

@Suite(.timeLimit(.minutes(5))) struct AuthRouteTests {
    @Test func registerLoginAndTheErrorsOfEach() async throws {
        try await withAPI { api, _, _ in
            let registered = try await api.call(.post, "/v1/auth/register",
                                                json: #"{"email":"Ann@Example.com","password":"Correct-Horse-9","name":"Ann"}"#)
            #expect(registered.status == .created)
            #expect(registered.data["email"] == .string("ann@example.com"))
            #expect(registered.data["role"] == .string("admin"))
            #expect(registered.data["userId"]?.stringValue?.hasPrefix("usr_") == true)
            #expect(registered.data["workspaceId"]?.stringValue?.hasPrefix("wsp_") == true)
            #expect(registered.position != nil)
            #expect(registered.json["success"] == .bool(true))
            #expect(registered.json["requestId"]?.stringValue?.hasPrefix("req_") == true)

            let again = try await api.call(.post, "/v1/auth/register",
                                           json: #"{"email":"ann@example.com","password":"Correct-Horse-9","name":"Ann"}"#)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "ALREADY_EXISTS")
            let weak = try await api.call(.post, "/v1/auth/register", json: #"{"email":"b@example.com","password":"short","name":"B"}"#)
            #expect(weak.status == .badRequest)
            #expect(weak.errorField == "password")
            let missing = try await api.call(.post, "/v1/auth/register", json: #"{"email":"b@example.com","name":"B"}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.errorField == "password")
            let malformed = try await api.call(.post, "/v1/auth/register", json: #"{"email": "#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode == "INVALID_PARAMETERS")

            let login = try await api.call(.post, "/v1/auth/login", json: #"{"email":"ann@example.com","password":"Correct-Horse-9"}"#)
            #expect(login.status == .ok)
            #expect(login.data["tokenType"] == .string("Bearer"))
            #expect(login.data["expiresIn"] == .number("3600"))
            let wrong = try await api.call(.post, "/v1/auth/login", json: #"{"email":"ann@example.com","password":"Wrong-Horse-99"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "UNAUTHORIZED")
            let nobody = try await api.call(.post, "/v1/auth/login", json: #"{"email":"no@example.com","password":"Wrong-Horse-99"}"#)
            #expect(nobody.status == .unauthorized)
            #expect(nobody.json["error"]?["message"] == wrong.json["error"]?["message"], "unknown emails and wrong passwords look alike")
        }
    }

    @Test func fiveFailedLoginsLockTheAccountSilentlyAndEndItsSessions() async throws {
        try await withAPI { api, test, _ in
            let ann = try await api.user("ann@example.com")
            #expect(try await api.call(.get, "/v1/users/me", token: ann.token).status == .ok)
            let unknown = try await api.call(.post, "/v1/auth/login", json: #"{"email":"nobody@example.com","password":"Wrong-Horse-99"}"#)
            for attempt in 1...5 {
                let failed = try await api.call(.post, "/v1/auth/login", json: #"{"email":"ann@example.com","password":"Wrong-Horse-99"}"#)
                #expect(failed.status == .unauthorized, "attempt \(attempt)")
                #expect(failed.errorCode == unknown.errorCode, "attempt \(attempt)")
                #expect(failed.json["error"]?["message"] == unknown.json["error"]?["message"], "attempt \(attempt) looks like an unknown email")
                #expect(failed.json["error"]?["details"] == unknown.json["error"]?["details"], "attempt \(attempt)")
            }
            // Locked: the right password answers exactly as an email nobody has, so a
            // lockout tells an attacker nothing about which emails exist.
            let locked = try await api.call(.post, "/v1/auth/login", json: #"{"email":"ann@example.com","password":"Correct-Horse-9"}"#)
            #expect(locked.status == unknown.status)
            #expect(locked.errorCode == unknown.errorCode)
            #expect(locked.json["error"]?["message"] == unknown.json["error"]?["message"])
            #expect(locked.json["error"]?["details"] == unknown.json["error"]?["details"])
            // Locking ended the session that was open: its token no longer works.
            #expect(try await api.call(.get, "/v1/users/me", token: ann.token).status == .unauthorized)
            #expect(try await api.call(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(ann.refresh)"}"#).status == .unauthorized)
            // 15 minutes later the lock is over, and the users projection says what happened.
            test.advance(milliseconds: 15 * 60_000 + 1)
            let later = try await api.call(.post, "/v1/auth/login", json: #"{"email":"ann@example.com","password":"Correct-Horse-9"}"#)
            #expect(later.status == .ok)
            let token = try #require(later.data["accessToken"]?.stringValue)
            let me = try await api.call(.get, "/v1/users/me", token: token)
            #expect(me.status == .ok)
        }
    }

    @Test func refreshTokensRotateLogoutRevokesAndAccessTokensExpire() async throws {
        try await withAPI { api, test, _ in
            let ann = try await api.user("ann@example.com")
            let refreshed = try await api.call(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(ann.refresh)"}"#)
            #expect(refreshed.status == .ok)
            let newRefresh = try #require(refreshed.data["refreshToken"]?.stringValue)
            #expect(newRefresh != ann.refresh)
            let garbage = try await api.call(.post, "/v1/auth/refresh", json: #"{"refreshToken":"nonsense"}"#)
            #expect(garbage.status == .unauthorized)

            let token = try #require(refreshed.data["accessToken"]?.stringValue)
            #expect(try await api.call(.get, "/v1/users/me", token: token).status == .ok)
            test.advance(milliseconds: 3601 * 1000)
            let expired = try await api.call(.get, "/v1/users/me", token: token)
            #expect(expired.status == .unauthorized)
            #expect(expired.json["error"]?["message"]?.stringValue?.contains("expired") == true)
            let renewed = try await api.call(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(newRefresh)"}"#)
            #expect(renewed.status == .ok, "the refresh token outlives the access token")

            let fresh = try #require(renewed.data["accessToken"]?.stringValue)
            #expect(try await api.call(.post, "/v1/auth/logout", token: fresh).status == .noContent)
            #expect(try await api.call(.get, "/v1/users/me", token: fresh).status == .unauthorized, "logout closes the session")
            let afterLogout = try #require(renewed.data["refreshToken"]?.stringValue)
            #expect(try await api.call(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(afterLogout)"}"#).status == .unauthorized)
        }
    }

    @Test func sessionsPastTheirRefreshLifetimeLeaveTheStore() async throws {
        try await withAPI { api, test, _ in
            let ann = try await api.user("ann@example.com")
            let annSession = try #require(ann.refresh.split(separator: ".").first.map(String.init))
            #expect(try test.engine.sessions.contains(annSession))
            test.advance(milliseconds: (TokenService.refreshLifetime + 1) * 1000)
            let bob = try await api.user("bob@example.com")
            let bobSession = try #require(bob.refresh.split(separator: ".").first.map(String.init))
            #expect(try !test.engine.sessions.contains(annSession), "an expired session is deleted")
            #expect(try test.engine.sessions.contains(bobSession))
            let refused = try await api.call(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(ann.refresh)"}"#)
            #expect(refused.status == .unauthorized)
        }
    }

    @Test func aPasswordChangeRevokesEverySession() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let other = try await api.call(.post, "/v1/auth/login", json: #"{"email":"ann@example.com","password":"Correct-Horse-9"}"#)
            let otherToken = try #require(other.data["accessToken"]?.stringValue)
            let badCurrent = try await api.call(.put, "/v1/users/me", token: ann.token,
                                                json: #"{"currentPassword":"nope-nope-nope","newPassword":"Battery-Staple-42"}"#)
            #expect(badCurrent.status == .unauthorized)
            let changed = try await api.call(.put, "/v1/users/me", token: ann.token,
                                             json: #"{"currentPassword":"Correct-Horse-9","newPassword":"Battery-Staple-42"}"#)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try await api.call(.get, "/v1/users/me", token: otherToken).status == .unauthorized)
            #expect(try await api.call(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(ann.refresh)"}"#).status == .unauthorized)
            let relogin = try await api.call(.post, "/v1/auth/login", json: #"{"email":"ann@example.com","password":"Battery-Staple-42"}"#)
            #expect(relogin.status == .ok)
        }
    }

    @Test func tokensAreCheckedNotTrusted() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            #expect(try await api.call(.get, "/v1/content").status == .unauthorized)
            #expect(try await api.call(.get, "/v1/content", token: "not.a.token").status == .unauthorized)
            // A token whose payload was edited no longer matches its signature.
            var parts = ann.token.split(separator: ".").map(String.init)
            parts[1] = String(parts[1].reversed())
            #expect(try await api.call(.get, "/v1/content", token: parts.joined(separator: ".")).status == .unauthorized)
            let none = try await api.call(.get, "/v1/content", token: nil, headers: [.authorization: "Basic abc"])
            #expect(none.status == .unauthorized)
            #expect(none.errorCode == "UNAUTHORIZED")
        }
    }

    @Test func profilesMembersAndRoles() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com", name: "Ann")
            let bob = try await api.user("bob@example.com", name: "Bob")
            let me = try await api.call(.get, "/v1/users/me", token: ann.token)
            #expect(me.data["email"] == .string("ann@example.com"))
            #expect(me.data["role"] == .string("admin"))
            #expect(me.data["passwordHash"] == nil)
            let renamed = try await api.call(.put, "/v1/users/me", token: ann.token, json: #"{"name":"Ann B.","timezone":"Europe/Paris"}"#)
            #expect(renamed.data["name"] == .string("Ann B."))
            #expect(try await api.call(.put, "/v1/users/me", token: ann.token, json: #"{"timezone":"Mars/Olympus"}"#).errorField == "timezone")
            #expect(try await api.call(.put, "/v1/users/me", token: ann.token, json: "{}").status == .badRequest)

            let members = "/v1/workspaces/\(ann.workspaceId)/members"
            let added = try await api.call(.post, members, token: ann.token, json: #"{"email":"bob@example.com","role":"viewer"}"#)
            #expect(added.status == .created, "\(added.text)")
            #expect(added.data["role"] == .string("viewer"))
            #expect(try await api.call(.get, members, token: ann.token).data["items"]?.count == 2)
            #expect(try await api.call(.post, members, token: ann.token, json: #"{"email":"bob@example.com","role":"emperor"}"#).errorField == "role")
            #expect(try await api.call(.post, members, token: ann.token, json: #"{"email":"nobody@example.com","role":"viewer"}"#).status == .notFound)

            // Bob acts in Ann's workspace only when he names it, and as a viewer there.
            let inAnns: HTTPFields = [HTTPField.Name("X-Workspace-Id")!: ann.workspaceId]
            let bobWrites = try await api.call(.post, "/v1/content", token: bob.token,
                                               json: #"{"title":"T","body":"B","contentType":"article"}"#, headers: inAnns)
            #expect(bobWrites.status == .forbidden)
            #expect(try await api.call(.post, members, token: bob.token, json: #"{"email":"ann@example.com","role":"viewer"}"#).status == .forbidden)
            #expect(try await api.call(.get, "/v1/users/\(bob.userId)", token: ann.token).status == .ok)
            #expect(try await api.call(.get, "/v1/users/\(ann.userId)", token: bob.token, headers: inAnns).status == .forbidden)
            #expect(try await api.call(.get, "/v1/users/usr_nobody", token: ann.token).status == .notFound)
            // Ann never joined Bob's workspace: it answers as absent.
            let bobs: HTTPFields = [HTTPField.Name("X-Workspace-Id")!: bob.workspaceId]
            #expect(try await api.call(.get, "/v1/content", token: ann.token, headers: bobs).status == .notFound)
            #expect(try await api.call(.get, "/v1/workspaces/\(bob.workspaceId)/members", token: ann.token).status == .notFound)
        }
    }
}
