import EventLog
import Foundation
import HTTPTypes
@testable import SmartContent
import SmartContentDomain
import SmartContentTesting
import Testing

/// `POST /v1/content/generate` and `/refine` through the API over the OpenAI-compatible
/// generator, its provider a fake on loopback.
@Suite(.timeLimit(.minutes(5))) struct GeneratorRouteTests {
    static let key = "sk-route-SECRET-9f8e7d6c5b4a"

    static func generator(_ server: FakeChatCompletionsServer, timeout: Duration = .seconds(5)) -> OpenAICompatibleGenerator {
        var configuration = OpenAICompatibleGenerator.Configuration(baseURL: server.baseURL, model: "qwen-test", apiKey: key)
        configuration.timeout = timeout
        configuration.maxAttempts = 2
        configuration.backoff = .milliseconds(10)
        return OpenAICompatibleGenerator(configuration: configuration)
    }

    static let request = #"""
        {"contentType":"article","topic":"Solar roofs","tone":"informative","length":120,
         "keywords":["inverter"],"targetAudience":"home owners"}
        """#

    /// End to end over real HTTP: the API on loopback, the provider on loopback.
    @Test func generateOverHTTPRecordsProviderModelAndPromptButNeverTheKey() async throws {
        try await FakeChatCompletionsServer.with([.completion(FakeChatCompletionsServer.article(title: "Solar Roofs", words: 118))]) { server in
            try await withAPI(generator: Self.generator(server), setup: .live) { api, _, _ in
                let ann = try await api.user("ann@example.com")
                let generated = try await api.call(.post, "/v1/content/generate", token: ann.token, json: Self.request)
                #expect(generated.status == .created, "\(generated.text)")
                #expect(generated.data["title"] == .string("Solar Roofs"))
                #expect(generated.data["metadata"]?["wordCount"] == .number("118"))
                #expect(generated.data["metadata"]?["generator"] == .string("openai-compatible"))
                #expect(generated.data["metadata"]?["model"] == .string("qwen-test"))
                #expect(server.received.first?.authorization == "Bearer \(Self.key)")

                let events = try await api.call(.get, "/v1/events?type=ContentCreated", token: ann.token)
                #expect(events.status == .ok, "\(events.text)")
                let created = try #require(events.data["items"]?[0]?["data"])
                #expect(created["generated"]?["generator"] == .string("openai-compatible"))
                #expect(created["generated"]?["model"] == .string("qwen-test"))
                // The prompt's parameters: the event's own fields and `generated`'s.
                #expect(created["generated"]?["topic"] == .string("Solar roofs"))
                #expect(created["generated"]?["length"] == .number("120"))
                #expect(created["generated"]?["targetAudience"] == .string("home owners"))
                #expect(created["contentType"] == .string("article") && created["tone"] == .string("informative"))
                #expect(created["keywords"] == .array([.string("inverter")]))
                // Those fields are the prompt: rebuilt from the event alone, it is what the model got.
                let rebuilt = GenerationRequest(
                    contentType: try #require(created["contentType"]?.stringValue.flatMap(ContentType.init(rawValue:))),
                    topic: try #require(created["generated"]?["topic"]?.stringValue),
                    tone: try #require(created["tone"]?.stringValue.flatMap(Tone.init(rawValue:))),
                    length: try #require(created["generated"]?["length"]?.doubleValue.map { Int($0) }),
                    keywords: ["inverter"], targetAudience: created["generated"]?["targetAudience"]?.stringValue)
                #expect(ChatPrompt.generation(rebuilt).map(\.content) == server.received.first?.messages.map(\.content))
                let everything = try await api.call(.get, "/v1/events?limit=100", token: ann.token)
                #expect(!everything.text.contains(Self.key) && !everything.text.contains("SECRET"))
            }
        }
    }

    @Test(arguments: [
        FakeChatCompletionsServer.Reply.raw(status: 200, body: "<html>proxy login</html>"),
        .completion("Only a title, no body"),
        .raw(status: 503, body: #"{"error":"model is loading"}"#),
    ])
    func aProviderAnsweringGarbageOrDownIs503InTheEnvelope(reply: FakeChatCompletionsServer.Reply) async throws {
        try await FakeChatCompletionsServer.with([reply]) { server in
            try await withAPI(generator: Self.generator(server)) { api, _, _ in
                let ann = try await api.user("ann@example.com")
                let failed = try await api.call(.post, "/v1/content/generate", token: ann.token, json: Self.request)
                #expect(failed.status == .serviceUnavailable, "\(failed.text)")
                #expect(failed.json["success"] == .bool(false))
                #expect(failed.errorCode == "GENERATOR_UNAVAILABLE")
                #expect(failed.json["error"]?["details"]?["provider"] == .string("openai-compatible"))
                #expect(failed.json["requestId"]?.stringValue?.hasPrefix("req_") == true)
                #expect(!failed.text.contains(Self.key))
                let listed = try await api.call(.get, "/v1/content", token: ann.token)
                #expect(listed.data["items"]?.count == 0, "nothing was created")
            }
        }
    }

    @Test func aHangingProviderIs503WithinABoundedTime() async throws {
        try await FakeChatCompletionsServer.with([.hang]) { server in
            try await withAPI(generator: Self.generator(server, timeout: .milliseconds(250))) { api, _, _ in
                let ann = try await api.user("ann@example.com")
                let start = ContinuousClock.now
                let failed = try await api.call(.post, "/v1/content/generate", token: ann.token, json: Self.request)
                #expect(failed.status == .serviceUnavailable)
                #expect(failed.json["error"]?["details"]?["reason"] == .string("timeout"))
                #expect(failed.json["error"]?["details"]?["attempts"] == .string("2"))
                #expect(ContinuousClock.now - start < .seconds(15))
            }
        }
    }

    @Test func aProviderAskingToWaitLongIs503WithItsRetryAfter() async throws {
        try await FakeChatCompletionsServer.with([.raw(status: 429, body: "{}", headers: ["Retry-After": "90"])]) { server in
            try await withAPI(generator: Self.generator(server)) { api, _, _ in
                let ann = try await api.user("ann@example.com")
                let failed = try await api.call(.post, "/v1/content/generate", token: ann.token, json: Self.request)
                #expect(failed.status == .serviceUnavailable)
                #expect(failed.headers[.retryAfter] == "90")
                #expect(failed.json["error"]?["details"]?["status"] == .string("429"))
            }
        }
    }

    @Test func refineGoesThroughTheProviderToo() async throws {
        try await FakeChatCompletionsServer.with([
            .completion(FakeChatCompletionsServer.article(title: "Solar Roofs", words: 120)),
            .completion(FakeChatCompletionsServer.article(title: "Solar Roofs, Plainly", words: 61)),
            .raw(status: 200, body: "garbage"),
        ]) { server in
            try await withAPI(generator: Self.generator(server)) { api, _, _ in
                let ann = try await api.user("ann@example.com")
                let generated = try await api.call(.post, "/v1/content/generate", token: ann.token, json: Self.request)
                let id = try #require(generated.data["contentId"]?.stringValue)
                let refined = try await api.call(.post, "/v1/content/\(id)/refine", token: ann.token,
                                                 json: #"{"instructions":"half as long, more casual"}"#)
                #expect(refined.status == .ok, "\(refined.text)")
                #expect(refined.data["title"] == .string("Solar Roofs, Plainly"))
                #expect(refined.data["version"] == .number("2"))
                #expect(refined.data["tone"] == .string("casual"))
                let prompt = server.received.last?.messages.last?.content ?? ""
                #expect(prompt.contains("half as long, more casual") && prompt.contains("about 60 words"), "\(prompt)")

                let failed = try await api.call(.post, "/v1/content/\(id)/refine", token: ann.token,
                                                json: #"{"instructions":"more formal"}"#)
                #expect(failed.status == .serviceUnavailable)
                #expect(failed.errorCode == "GENERATOR_UNAVAILABLE")
                let current = try await api.call(.get, "/v1/content/\(id)", token: ann.token)
                #expect(current.data["version"] == .number("2"), "a failed refinement changes nothing")
            }
        }
    }
}
