import EventLog
import Foundation
import HTTPTypes
import SmartContentDomain
import SmartContentTesting
import Testing
import Yams

/// What schemathesis found running the served document against the server
/// (`.ci/schemathesis.sh`), where the server was the one to mend, each pinned by a test;
/// and the checks schemathesis cannot make for itself.
@Suite struct DocumentFindingTests {
    /// The header used to win over the query unread: a malformed or unreachable query
    /// position next to a good header was ignored (schemathesis sent both).
    @Test func bothReadYourWritesPositionsAreCheckedAndTheGreaterIsWaitedFor() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let zero: HTTPFields = [HTTPField.Name("X-Min-Position")!: "0"]
            let malformed = try await api.call(.get, "/v1/content?minPosition=abc", token: ann.token, headers: zero)
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorField == "minPosition")
            let beyond = try await api.call(.get, "/v1/content?minPosition=99999999", token: ann.token, headers: zero)
            #expect(beyond.status == .badRequest, "\(beyond.text)")
            #expect(beyond.errorField == "minPosition")
            let badHeader = try await api.call(.get, "/v1/content?minPosition=0", token: ann.token,
                                               headers: [HTTPField.Name("X-Min-Position")!: "abc"])
            #expect(badHeader.status == .badRequest)
            #expect(badHeader.errorField == "X-Min-Position")
            let created = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"T","body":"B","contentType":"article"}"#)
            let position = try #require(created.position)
            let both = try await api.call(.get, "/v1/content?minPosition=1", token: ann.token,
                                          headers: [HTTPField.Name("X-Min-Position")!: String(position)])
            #expect(both.status == .ok)
            #expect(both.data["items"]?.count == 1)
        }
    }

    /// `?after=` (another name for `cursor`) was read only without a cursor, and unchecked
    /// beside one.
    @Test func theLogsCursorAndItsOtherNameAreBothChecked() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            for (query, field) in [("cursor=1&after=x", "after"), ("cursor=%2B99999999999999999999", "cursor"), ("after=-1", "after")] {
                let answer = try await api.call(.get, "/v1/events?" + query, token: ann.token)
                #expect(answer.status == .badRequest, "\(query): \(answer.text)")
                #expect(answer.errorField == field, "\(query)")
            }
            let page = try await api.call(.get, "/v1/events?after=1&limit=1", token: ann.token)
            #expect(page.status == .ok)
            #expect(page.data["items"]?[0]?["position"] == .number("2"), "\(page.text.prefix(120))")
        }
    }

    /// A profile field refused after the password had changed left the password changed
    /// behind a 400.
    @Test func aRefusedProfileUpdateChangesNotThePasswordEither() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            for body in [#""name":"   ""#, #""timezone":"Mars/Olympus""#, #""bio":"\#(String(repeating: "b", count: 2001))""#] {
                let answer = try await api.call(.put, "/v1/users/me", token: ann.token,
                                                json: #"{"currentPassword":"\#(TestEngine.password)","newPassword":"Another-Horse-77",\#(body)}"#)
                #expect(answer.status == .badRequest, "\(body.prefix(30)): \(answer.text)")
            }
            let login = try await api.call(.post, "/v1/auth/login", json: #"{"email":"ann@example.com","password":"\#(TestEngine.password)"}"#)
            #expect(login.status == .ok, "the old password still opens the account")
            #expect(try await api.call(.get, "/v1/users/me", token: ann.token).status == .ok, "and the session lives on")
        }
    }

    /// Generation answered 400 naming `title` (for a control character in the topic) and
    /// `body` (for text over 100,000 characters): fields the caller never sent.
    @Test func generationRefusalsNameTheFieldsTheCallerSent() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let control = try await api.call(.post, "/v1/content/generate", token: ann.token,
                                             json: #"{"contentType":"article","topic":"bells\u0007 and whistles","length":300}"#)
            #expect(control.status == .badRequest, "\(control.text)")
            #expect(control.errorField == "topic")
            let huge = try await api.call(.post, "/v1/content/generate", token: ann.token,
                                          json: #"{"contentType":"article","topic":"\#(String(repeating: "0", count: 500))","length":5000}"#)
            #expect(huge.status == .badRequest, "\(huge.text.prefix(200))")
            #expect(huge.errorField == "length")
        }
    }
}
