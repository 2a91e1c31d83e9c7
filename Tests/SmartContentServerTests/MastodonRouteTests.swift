import EventLog
import Foundation
import Hummingbird
import HummingbirdTesting
import SmartContent
import SmartContentServer
import SmartContentTesting
import Testing

/// A Mastodon channel end to end over the API: connected, previewed, refused over its
/// limit, scheduled, published by a running distributor to a fake instance.
@Suite(.timeLimit(.minutes(5))) struct MastodonRouteTests {
    @Test func aMastodonChannelPostsWhatTheAPIPreviewed() async throws {
        let test = try TestEngine(systemClock: true)
        var configuration = SmartContentAPI.Configuration()
        configuration.jwtSecret = Array("a test secret of at least 32 bytes!!".utf8)
        configuration.clock = { test.now }
        let api = try SmartContentAPI(engine: test.engine, configuration: configuration)
        var policy = DeliveryPolicy()
        policy.firstRetryDelay = .milliseconds(50)
        policy.pollInterval = .milliseconds(50)
        let distributor = Distributor(engine: test.engine, policy: policy)
        let running = Task { await distributor.run() }
        let mastodon = try FakeMastodon(token: "tok_RouteSecret_77", instance: .limit(80), lostAnswers: 1)
        defer { mastodon.stop() }

        try await Application(router: api.router()).test(.router) { client in
            let http = APIClient(client: client)
            let ann = try await http.user("ann@example.com")
            let connect = try await http.call(.post, "/v1/distribution/channels", token: ann.token, json: """
                {"name":"Toots","kind":"mastodon","instanceUrl":"\(mastodon.url)","accessToken":"\(mastodon.token)"}
                """)
            #expect(connect.status == .created, "\(connect.text)")
            #expect(connect.data["kind"] == .string("mastodon") && connect.data["instanceUrl"] == .string(mastodon.url))
            #expect(connect.data["characterLimit"] == .number("80"))
            #expect(connect.data["characterLimitSource"] == .string("instance"))
            #expect(!connect.text.contains(mastodon.token))
            let channel = try #require(connect.data["channelId"]?.stringValue)

            let wrongField = try await http.call(.post, "/v1/distribution/channels", token: ann.token, json: """
                {"name":"Toots","kind":"mastodon","instanceUrl":"\(mastodon.url)","accessToken":"t","secret":"x"}
                """)
            #expect(wrongField.status == .badRequest && wrongField.errorField == "secret")
            let noToken = try await http.call(.post, "/v1/distribution/channels", token: ann.token,
                                              json: #"{"name":"Toots","kind":"mastodon","instanceUrl":"https://x.example"}"#)
            #expect(noToken.status == .badRequest && noToken.errorField == "accessToken")

            let list = try await http.call(.get, "/v1/distribution/channels", token: ann.token)
            #expect(list.data["items"]?[0]?["characterLimit"] == .number("80"))
            #expect(!list.text.contains(mastodon.token), "the token is never served")

            let long = try await http.call(.post, "/v1/content", token: ann.token, json: """
                {"title":"This title is far too long for a limit of eighty characters: it goes on and on, well past the end","body":"B","contentType":"article"}
                """)
            let longId = try #require(long.data["contentId"]?.stringValue)
            let refused = try await http.call(.post, "/v1/schedules", token: ann.token, json: """
                {"contentId":"\(longId)","publishTime":"2030-01-01T09:00:00Z","timezone":"UTC","channels":["\(channel)"]}
                """)
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(refused.json["error"]?["details"]?["channelId"] == .string(channel))
            #expect(refused.json["error"]?["details"]?["limit"] == .string("80"))

            let body = "Our spring release brings faster search, a new editor and many small fixes that you asked for."
            let created = try await http.call(.post, "/v1/content", token: ann.token,
                                              json: #"{"title":"Spring release","body":"\#(body)","contentType":"article"}"#)
            let contentId = try #require(created.data["contentId"]?.stringValue)
            let preview = try await http.call(.get, "/v1/distribution/channels/\(channel)/preview?contentId=\(contentId)",
                                              token: ann.token)
            #expect(preview.status == .ok, "\(preview.text)")
            let text = try #require(preview.data["text"]?.stringValue)
            #expect(text.hasPrefix("Spring release\n\nOur spring release") && text.hasSuffix("…"))
            #expect(preview.data["limit"] == .number("80") && preview.data["characters"] == .number("\(text.count)"))

            let scheduled = try await http.call(.post, "/v1/schedules", token: ann.token, json: """
                {"contentId":"\(contentId)","publishTime":"2030-01-01T09:00:00Z","timezone":"UTC","channels":["\(channel)"]}
                """)
            #expect(scheduled.status == .created, "\(scheduled.text)")
            #expect(scheduled.data["previews"]?[0]?["text"] == .string(text))
            let scheduleId = try #require(scheduled.data["scheduleId"]?.stringValue)
            let fetched = try await http.call(.get, "/v1/schedules/\(scheduleId)", token: ann.token)
            #expect(fetched.data["previews"]?[0]?["channelId"] == .string(channel))

            let published = try await http.call(.post, "/v1/distribution/publish", token: ann.token,
                                                json: #"{"contentId":"\#(contentId)","channels":["\#(channel)"]}"#)
            #expect(published.status == .accepted, "\(published.text)")
            #expect(published.data["previews"]?[0]?["text"] == .string(text))
            let job = try #require(published.data["jobId"]?.stringValue)
            var status = try await http.call(.get, "/v1/distribution/status/\(job)", token: ann.token)
            let deadline = ContinuousClock.now + .seconds(20)
            while status.data["status"] != .string("delivered"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                status = try await http.call(.get, "/v1/distribution/status/\(job)", token: ann.token)
            }
            #expect(status.data["status"] == .string("delivered"), "\(status.text)")
            #expect(mastodon.statuses.map(\.text) == [text], "posted once, as previewed")
            #expect(status.data["deliveries"]?[0]?["externalId"] == .string(mastodon.statuses.first?.id ?? "-"))

            // Edited after scheduling so that it no longer fits: the schedule's preview says so.
            let edited = try await http.call(.put, "/v1/content/\(contentId)", token: ann.token, json: """
                {"title":"A new title that is now much too long for the eighty characters this instance allows us"}
                """)
            #expect(edited.status == .ok, "\(edited.text)")
            let stale = try await http.call(.get, "/v1/schedules/\(scheduleId)?minPosition=\(edited.position ?? 0)", token: ann.token)
            #expect(stale.data["previews"]?[0]?["problem"]?.stringValue?.contains("over the limit of 80") == true, "\(stale.text)")

            let hook = try await http.call(.post, "/v1/distribution/channels", token: ann.token,
                                           json: #"{"name":"Hook","url":"https://example.com/hook"}"#)
            let hookId = try #require(hook.data["channelId"]?.stringValue)
            let noText = try await http.call(.get, "/v1/distribution/channels/\(hookId)/preview?contentId=\(contentId)", token: ann.token)
            #expect(noText.status == .badRequest && noText.errorField == "channelId", "\(noText.text)")
        }
        running.cancel()
        await running.value
        await test.close()
    }
}
