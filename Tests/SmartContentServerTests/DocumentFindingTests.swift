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
@Suite(.timeLimit(.minutes(5))) struct DocumentFindingTests {
    /// Every `METHOD /path` of the served document whose parameters take `minPosition`.
    static func operationsTakingMinPosition(_ yaml: String) throws -> [(method: String, path: String)] {
        let document = try #require(try Yams.load(yaml: yaml) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        func takes(_ parameters: Any?) -> Bool {
            ((parameters as? [[String: Any]]) ?? []).contains { ($0["$ref"] as? String)?.hasSuffix("/MinPosition") == true }
        }
        var found: [(String, String)] = []
        for (path, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            for method in ["get", "put", "post", "delete"] {
                guard let operation = item[method] as? [String: Any] else { continue }
                if takes(item["parameters"]) || takes(operation["parameters"]) { found.append((method.uppercased(), path)) }
            }
        }
        return found.sorted { $0.1 + $0.0 < $1.1 + $1.0 }
    }

    /// schemathesis pins `minPosition` (no schema can say where the log ends), so the
    /// refusals the document promises for it are held here, on every operation it lists it for.
    @Test func everyOperationTakingMinPositionRefusesAMalformedOneAndOneBeyondTheLog() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let yaml = try await api.call(.get, "/openapi.yaml").text
            let operations = try Self.operationsTakingMinPosition(yaml)
            #expect(operations.count > 15)
            for (method, path) in operations {
                let concrete = EveryRouteTests.concrete(path).replacingOccurrences(of: "wsp_nobodyhas", with: ann.workspaceId)
                let extra = path.hasSuffix("/compare") ? "&contentIds=cnt_a,cnt_b" : ""
                for value in ["abc", "-1", "99999999"] {
                    let answer = try await api.call(HTTPRequest.Method(method)!, concrete + "?minPosition=\(value)" + extra,
                                                    token: ann.token, json: method == "GET" ? nil : "{}")
                    #expect(answer.status == .badRequest, "\(method) \(path)?minPosition=\(value): \(answer.text)")
                    #expect(answer.errorField == "minPosition", "\(method) \(path)?minPosition=\(value)")
                }
            }
        }
    }

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

    /// `timezone` is an enum of the zones this system knows; each is one the rules accept.
    @Test func everyTimeZoneTheDocumentListsIsOneTheServerAccepts() async throws {
        try await withAPI { api, _, _ in
            let yaml = try await api.call(.get, "/openapi.yaml").text
            let document = try #require(try Yams.load(yaml: yaml) as? [String: Any])
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let zones = try #require((schemas?["TimeZone"] as? [String: Any])?["enum"] as? [String])
            #expect(zones.count > 300)
            #expect(zones.contains("UTC") && zones.contains("Europe/Paris"))
            for zone in zones { #expect(throws: Never.self, "\(zone)") { try Validation.timezone(zone) } }
        }
    }

    /// Each id a creating operation answers with is linked to the operations that take it,
    /// so schemathesis's stateful phase reaches them.
    @Test func creatingOperationsLinkTheirIdsOnward() async throws {
        try await withAPI { api, _, _ in
            let yaml = try await api.call(.get, "/openapi.yaml").text
            let document = try #require(try Yams.load(yaml: yaml) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: Any])
            var operationIds: Set<String> = []
            var links: [String: Set<String>] = [:]
            for case let (_, item as [String: Any]) in paths {
                for case let (_, operation as [String: Any]) in item {
                    guard let id = operation["operationId"] as? String else { continue }
                    operationIds.insert(id)
                    for case let (_, response as [String: Any]) in (operation["responses"] as? [String: Any]) ?? [:] {
                        for case let (_, link as [String: Any]) in (response["links"] as? [String: Any]) ?? [:] {
                            if let target = link["operationId"] as? String { links[id, default: []].insert(target) }
                        }
                    }
                }
            }
            let expected: [String: Set<String>] = [
                "createContent": ["getContent", "updateContent", "deleteContent", "listContentVersions", "refineContent",
                                  "getContentAnalytics", "recordEngagement", "createSchedule", "publishContent"],
                "generateContent": ["getContent", "updateContent", "deleteContent"],
                "createSchedule": ["getSchedule", "updateSchedule", "cancelSchedule"],
                "publishContent": ["getJob"],
                "createAudience": ["getAudience", "updateAudience", "deleteAudience"],
                "connectChannel": ["disconnectChannel", "publishContent", "createSchedule"],
                "addMember": ["getUser"],
            ]
            for (source, targets) in expected {
                #expect(targets.isSubset(of: links[source] ?? []), "\(source) links \(links[source] ?? [])")
            }
            for target in links.values.joined() { #expect(operationIds.contains(target), "a link to \(target)") }
        }
    }
}
