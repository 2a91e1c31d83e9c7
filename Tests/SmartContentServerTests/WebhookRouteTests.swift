import EventLog
import HTTPTypes
import SmartContentServer
import SmartContentTesting
import Testing

/// Integrators' webhooks over HTTP: who may subscribe, what a subscription must name, and
/// what the answers say. Delivery itself is tested in WebhookDispatcherTests.
@Suite(.timeLimit(.minutes(5))) struct WebhookRouteTests {
    static let workspaceHeader = HTTPField.Name("X-Workspace-Id")!

    @Test func anAdminSubscribesListsReplaysAndDeletesAWebhook() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let created = try await api.call(.post, "/v1/webhooks", token: ann.token, json: """
                {"url":"https://example.com/events","eventTypes":["content.*","schedule.missed"],"description":"CRM"}
                """)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.data["webhookId"]?.stringValue)
            #expect(id.hasPrefix("whk_"))
            #expect(created.data["secret"]?.stringValue?.hasPrefix("whsec_") == true, "shown once, at creation")
            #expect(created.data["eventTypes"]?.count == 2)
            #expect(created.position != nil)

            let listed = try await api.call(.get, "/v1/webhooks", token: ann.token)
            #expect(listed.status == .ok)
            #expect(listed.data["items"]?.count == 1)
            #expect(listed.data["items"]?[0]?["webhookId"] == .string(id))
            #expect(listed.data["items"]?[0]?["secret"] == nil, "never shown again")
            #expect(!listed.text.contains("whsec_"))

            // No dispatcher runs here: the message waits, and the listing says so.
            let post = try await api.call(.post, "/v1/content", token: ann.token, json: #"{"title":"T","body":"B","contentType":"article"}"#)
            let deliveries = try await api.call(.get, "/v1/webhooks/\(id)/deliveries?minPosition=\(post.position ?? 0)", token: ann.token)
            #expect(deliveries.status == .ok, "\(deliveries.text)")
            #expect(deliveries.data["items"]?.count == 1)
            #expect(deliveries.data["items"]?[0]?["type"] == .string("content.created"))
            #expect(deliveries.data["items"]?[0]?["status"] == .string("queued"))
            #expect(deliveries.data["items"]?[0]?["position"] == .number("\(post.position ?? 0)"))
            #expect(deliveries.data["nextCursor"] == .null)
            let deadLetters = try await api.call(.get, "/v1/webhooks/\(id)/deliveries?status=dead_lettered", token: ann.token)
            #expect(deadLetters.data["items"]?.count == 0)
            #expect(try await api.call(.get, "/v1/webhooks/\(id)/deliveries?status=lost", token: ann.token).errorField == "status")
            #expect(try await api.call(.get, "/v1/webhooks/\(id)/deliveries?cursor=00ff", token: ann.token).errorField == "cursor")

            let replay = try await api.call(.post, "/v1/webhooks/\(id)/replay", token: ann.token, json: #"{"fromPosition":1}"#)
            #expect(replay.status == .accepted, "\(replay.text)")
            #expect(replay.data["fromPosition"] == .number("1"))
            let beyond = try await api.call(.post, "/v1/webhooks/\(id)/replay", token: ann.token, json: #"{"fromPosition":999999}"#)
            #expect(beyond.status == .badRequest)
            #expect(beyond.errorField == "fromPosition")
            let unknownField = try await api.call(.post, "/v1/webhooks/\(id)/replay", token: ann.token, json: #"{"from":1}"#)
            #expect(unknownField.status == .badRequest)

            let deleted = try await api.call(.delete, "/v1/webhooks/\(id)", token: ann.token)
            #expect(deleted.status == .noContent)
            #expect(try await api.call(.get, "/v1/webhooks", token: ann.token).data["items"]?.count == 0)
            #expect(try await api.call(.delete, "/v1/webhooks/\(id)", token: ann.token).status == .notFound)
        }
    }

    @Test func unknownTypesAndBadURLsAreRefusedWithTheFieldNamed() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let unknown = try await api.call(.post, "/v1/webhooks", token: ann.token,
                                             json: #"{"url":"https://example.com/e","eventTypes":["content.exploded"]}"#)
            #expect(unknown.status == .badRequest)
            #expect(unknown.errorField == "eventTypes")
            #expect(unknown.text.contains("content.exploded"))
            let internalType = try await api.call(.post, "/v1/webhooks", token: ann.token,
                                                  json: #"{"url":"https://example.com/e","eventTypes":["WebhookAttempted"]}"#)
            #expect(internalType.status == .badRequest, "the log's own types are not deliverable")
            let empty = try await api.call(.post, "/v1/webhooks", token: ann.token, json: #"{"url":"https://example.com/e","eventTypes":[]}"#)
            #expect(empty.errorField == "eventTypes")
            let badURL = try await api.call(.post, "/v1/webhooks", token: ann.token, json: #"{"url":"ftp://example.com","eventTypes":["*"]}"#)
            #expect(badURL.status == .badRequest)
            #expect(badURL.errorField == "url")
            let badSecret = try await api.call(.post, "/v1/webhooks", token: ann.token,
                                               json: #"{"url":"https://example.com/e","eventTypes":["*"],"secret":"hunter2"}"#)
            #expect(badSecret.errorField == "secret")
            let wildcard = try await api.call(.post, "/v1/webhooks", token: ann.token,
                                              json: #"{"url":"https://example.com/e","eventTypes":["notification.*","*"]}"#)
            #expect(wildcard.status == .created, "\(wildcard.text)")
            let malformedID = try await api.call(.delete, "/v1/webhooks/chn_1", token: ann.token)
            #expect(malformedID.status == .badRequest)
        }
    }

    @Test func onlyAdminsManageWebhooksAndOtherWorkspacesSeeNone() async throws {
        try await withAPI { api, _, _ in
            let ann = try await api.user("ann@example.com")
            let bob = try await api.member("bob@example.com", of: ann, role: "editor")
            let inAnns: HTTPFields = [Self.workspaceHeader: ann.workspaceId]
            let denied = try await api.call(.post, "/v1/webhooks", token: bob.token,
                                            json: #"{"url":"https://example.com/e","eventTypes":["*"]}"#, headers: inAnns)
            #expect(denied.status == .forbidden)

            let created = try await api.call(.post, "/v1/webhooks", token: ann.token,
                                             json: #"{"url":"https://example.com/e","eventTypes":["*"]}"#)
            let id = try #require(created.data["webhookId"]?.stringValue)
            let bobLists = try await api.call(.get, "/v1/webhooks", token: bob.token, headers: inAnns)
            #expect(bobLists.status == .ok)
            #expect(bobLists.data["items"]?.count == 1, "members see their workspace's webhooks")
            #expect(try await api.call(.delete, "/v1/webhooks/\(id)", token: bob.token, headers: inAnns).status == .forbidden)
            #expect(try await api.call(.get, "/v1/webhooks/\(id)/deliveries", token: bob.token, headers: inAnns).status == .forbidden)
            #expect(try await api.call(.post, "/v1/webhooks/\(id)/replay", token: bob.token, json: #"{"fromPosition":0}"#,
                                       headers: inAnns).status == .forbidden)

            // In his own workspace, Bob is an admin, but Ann's webhook is not there.
            #expect(try await api.call(.get, "/v1/webhooks", token: bob.token).data["items"]?.count == 0)
            #expect(try await api.call(.delete, "/v1/webhooks/\(id)", token: bob.token).status == .notFound)
            #expect(try await api.call(.get, "/v1/webhooks/\(id)/deliveries", token: bob.token).status == .notFound)
            #expect(try await api.call(.post, "/v1/webhooks/\(id)/replay", token: bob.token,
                                       json: #"{"fromPosition":0}"#).status == .notFound)
            #expect(try await api.call(.get, "/v1/webhooks").status == .unauthorized)
        }
    }
}
