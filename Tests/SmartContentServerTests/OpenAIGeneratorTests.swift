import EventLog
import Foundation
@testable import SmartContent
import SmartContentDomain
import Testing

/// The OpenAI-compatible generator against a fake provider on loopback: real HTTP, every
/// test bounded in time, no timing asserted beyond generous bounds.
// One at a time, with a per-request timeout far above a loaded machine's stalls: a
// request retried after a stall would count as a second request here.
@Suite(.serialized, .timeLimit(.minutes(5))) struct OpenAIGeneratorTests {
    static let key = "sk-test-0123456789abcdefSECRET"

    static func generator(_ server: FakeChatCompletionsServer, timeout: Duration = .seconds(30), attempts: Int = 3,
                          key: String? = OpenAIGeneratorTests.key) -> OpenAICompatibleGenerator {
        var configuration = OpenAICompatibleGenerator.Configuration(baseURL: server.baseURL, model: "llama-test", apiKey: key)
        configuration.timeout = timeout
        configuration.maxAttempts = attempts
        configuration.backoff = .milliseconds(10)
        return OpenAICompatibleGenerator(configuration: configuration)
    }

    static let request = GenerationRequest(contentType: .blogPost, topic: "Edge computing", tone: .friendly, length: 100,
                                           keywords: ["latency", "IoT"], targetAudience: "plant managers")

    /// What the generator throws, or a recorded issue if it does not.
    static func failure(_ work: () async throws -> Void) async -> GeneratorUnavailable? {
        do {
            try await work()
            Issue.record("expected GeneratorUnavailable")
        } catch let error as GeneratorUnavailable {
            return error
        } catch {
            Issue.record("expected GeneratorUnavailable, got \(error)")
        }
        return nil
    }

    @Test func aCompletionBecomesTitleAndBodyFromAPromptOfEveryField() async throws {
        try await FakeChatCompletionsServer.with([.completion(FakeChatCompletionsServer.article(title: "# Edge, Up Close", words: 100))]) { server in
            let generated = try await Self.generator(server).generate(Self.request)
            #expect(generated.title == "Edge, Up Close")
            #expect(generated.wordCount == 100)
            #expect(generated.parameters == GenerationParameters(generator: "openai-compatible", model: "llama-test",
                                                                 topic: "Edge computing", length: 100,
                                                                 targetAudience: "plant managers"))
            let received = try #require(server.received.first)
            #expect(server.received.count == 1)
            #expect(received.authorization == "Bearer \(Self.key)")
            #expect(received.body["model"]?.stringValue == "llama-test")
            #expect(received.messages.map(\.role) == ["system", "user"])
            let prompt = received.messages.last?.content ?? ""
            for part in ["blog post", "Edge computing", "friendly", "100 words", "latency, IoT", "plant managers"] {
                #expect(prompt.contains(part), "the prompt names \(part): \(prompt)")
            }
        }
    }

    @Test func withoutAKeyNoAuthorizationIsSent() async throws {
        try await FakeChatCompletionsServer.with([.completion(FakeChatCompletionsServer.article(words: 100))]) { server in
            _ = try await Self.generator(server, key: nil).generate(Self.request)
            #expect(server.received.first?.authorization == nil)
        }
    }

    @Test(arguments: [
        ("not json at all", "not a chat completion"),
        (#"{"choices":[]}"#, "no choices"),
        (#"{"choices":[{"message":{"role":"assistant","content":"   "}}]}"#, "no text"),
        (#"{"error":{"message":"model is loading"}}"#, "model is loading"),
    ])
    func aMalformedAnswerIsUnavailableAndNotRetried(body: String, why: String) async throws {
        try await FakeChatCompletionsServer.with([.raw(status: 200, body: body)]) { server in
            let error = await Self.failure { _ = try await Self.generator(server).generate(Self.request) }
            #expect(error?.reason == .malformedAnswer)
            #expect(error?.message.contains(why) == true, "\(error?.message ?? "")")
            #expect(server.received.count == 1)
        }
    }

    @Test func anAnswerWithATitleButNoBodyIsMalformed() async throws {
        try await FakeChatCompletionsServer.with([.completion("Only a title")]) { server in
            let error = await Self.failure { _ = try await Self.generator(server).generate(Self.request) }
            #expect(error?.reason == .malformedAnswer)
            #expect(error?.message.contains("title followed by a body") == true)
        }
    }

    @Test func aProviderThatHangsTimesOutWithinTheBound() async throws {
        try await FakeChatCompletionsServer.with([.hang]) { server in
            let start = ContinuousClock.now
            let error = await Self.failure {
                _ = try await Self.generator(server, timeout: .milliseconds(300), attempts: 2).generate(Self.request)
            }
            #expect(error?.reason == .timedOut)
            #expect(error?.attempts == 2)
            #expect(error?.message.contains("did not answer within 300 ms") == true, "\(error?.message ?? "")")
            // Below the fake's 30 s hang, with room for a loaded machine.
            #expect(ContinuousClock.now - start < .seconds(25))
            #expect(server.received.count == 2)
        }
    }

    @Test func a500AndA429AreRetriedThenTheAnswerIsUsed() async throws {
        try await FakeChatCompletionsServer.with([
            .raw(status: 500, body: #"{"error":"boom"}"#),
            .raw(status: 429, body: #"{"error":{"message":"slow down"}}"#, headers: ["Retry-After": "0"]),
            .completion(FakeChatCompletionsServer.article(words: 104)),
        ]) { server in
            let generated = try await Self.generator(server).generate(Self.request)
            #expect(generated.wordCount == 104)
            #expect(server.received.count == 3)
        }
    }

    @Test func retriesStopAtTheLimitWithTheLastStatus() async throws {
        try await FakeChatCompletionsServer.with([.raw(status: 502, body: "<html>bad gateway</html>")]) { server in
            let error = await Self.failure { _ = try await Self.generator(server, attempts: 3).generate(Self.request) }
            #expect(error?.reason == .httpStatus(502, retryAfter: nil))
            #expect(error?.status == 502)
            #expect(error?.attempts == 3)
            #expect(server.received.count == 3)
        }
    }

    @Test func otherClientErrorsAreNotRetriedAndNeverQuoteTheKey() async throws {
        let echo = #"{"error":{"message":"Incorrect API key provided: \#(Self.key)"}}"#
        try await FakeChatCompletionsServer.with([.raw(status: 401, body: echo)]) { server in
            let error = await Self.failure { _ = try await Self.generator(server).generate(Self.request) }
            #expect(error?.status == 401)
            #expect(error?.message.contains("SMARTCONTENT_GENERATOR_API_KEY") == true)
            #expect(server.received.count == 1)
            #expect(!"\(String(describing: error))".contains(Self.key))
        }
        try await FakeChatCompletionsServer.with([.raw(status: 400, body: #"{"error":"bad \#(Self.key) model"}"#)]) { server in
            let error = await Self.failure { _ = try await Self.generator(server).generate(Self.request) }
            #expect(error?.status == 400)
            #expect(error?.message.contains("[redacted]") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains(Self.key) == false)
            #expect(server.received.count == 1)
        }
    }

    /// URLSession would follow a redirect to another host with the Authorization header.
    @Test func aRedirectIsNotFollowedSoTheKeyGoesNowhereElse() async throws {
        try await FakeChatCompletionsServer.with([.completion(FakeChatCompletionsServer.article(words: 100))]) { elsewhere in
            // Another host name for the same loopback: a different origin to URLSession.
            let location = "http://localhost:\(elsewhere.baseURL.port ?? 0)/v1/chat/completions"
            try await FakeChatCompletionsServer.with([.raw(status: 307, body: "{}", headers: ["Location": location])]) { server in
                let error = await Self.failure { _ = try await Self.generator(server).generate(Self.request) }
                #expect(error?.status == 307)
                #expect(error?.message.contains("redirect") == true, "\(error?.message ?? "")")
                #expect(server.received.count == 1)
                #expect(elsewhere.received.isEmpty)
            }
        }
    }

    @Test func aRetryAfterBeyondTheLimitIsPassedOnAtOnce() async throws {
        try await FakeChatCompletionsServer.with([.raw(status: 429, body: "{}", headers: ["Retry-After": "120"])]) { server in
            let error = await Self.failure { _ = try await Self.generator(server).generate(Self.request) }
            #expect(error?.status == 429)
            #expect(error?.retryAfter == .seconds(120))
            #expect(server.received.count == 1)
        }
    }

    @Test func anUnreachableProviderIsReportedAsSuch() async throws {
        // Port 1 on loopback: nothing listens there.
        var configuration = OpenAICompatibleGenerator.Configuration(baseURL: URL(string: "http://127.0.0.1:1/v1")!, model: "m")
        configuration.maxAttempts = 2
        configuration.backoff = .milliseconds(10)
        let error = await Self.failure { _ = try await OpenAICompatibleGenerator(configuration: configuration).generate(Self.request) }
        #expect(error?.reason == .unreachable)
        #expect(error?.attempts == 2)
        #expect(error?.message.hasPrefix("http://127.0.0.1:1/v1/chat/completions") == true, "\(error?.message ?? "")")
    }

    @Test func aTooShortAnswerGetsOneCorrectiveRetry() async throws {
        try await FakeChatCompletionsServer.with([
            .completion(FakeChatCompletionsServer.article(words: 40)),
            .completion(FakeChatCompletionsServer.article(title: "Longer", words: 98)),
        ]) { server in
            let generated = try await Self.generator(server).generate(Self.request)
            #expect(generated.wordCount == 98)
            #expect(generated.title == "Longer")
            #expect(server.received.count == 2)
            let followUp = try #require(server.received.last).messages
            #expect(followUp.map(\.role) == ["system", "user", "assistant", "user"])
            #expect(followUp.last?.content.contains("The body has 40 words") == true)
            #expect(followUp.last?.content.contains("Lengthen") == true)
        }
    }

    @Test func aCorrectionThatMissesAgainKeepsTheCloserAnswerAndAsksOnlyOnce() async throws {
        try await FakeChatCompletionsServer.with([
            .completion(FakeChatCompletionsServer.article(words: 130)),
            .completion(FakeChatCompletionsServer.article(words: 200)),
        ]) { server in
            let generated = try await Self.generator(server).generate(Self.request)
            #expect(generated.wordCount == 130)
            #expect(server.received.count == 2)
            #expect(server.received.last?.messages.last?.content.contains("Shorten") == true)
        }
    }

    @Test func refineSendsTheTextAndInstructionsAndHoldsTheLength() async throws {
        try await FakeChatCompletionsServer.with([.completion(FakeChatCompletionsServer.article(title: "Edge, Casually", words: 52))]) { server in
            let body = FakeChatCompletionsServer.article(words: 100).split(separator: "\n").last.map(String.init) ?? ""
            let refined = try await Self.generator(server).refine(RefinementRequest(
                title: "Edge", body: body, instructions: "more casual, add keyword Swift, remove latency, about 50 words",
                contentType: .blogPost, tone: .professional, keywords: ["latency", "IoT"], topic: "Edge computing"))
            #expect(refined.title == "Edge, Casually")
            #expect(refined.tone == .casual)
            #expect(refined.keywords == ["IoT", "Swift"])
            #expect(refined.notApplied.isEmpty)
            #expect(refined.parameters.generator == "openai-compatible" && refined.parameters.length == 52)
            let prompt = try #require(server.received.first?.messages.last?.content)
            for part in ["more casual, add keyword Swift", "Keywords to remove from the text: latency", "about 50 words",
                         "Current title: Edge", body] {
                #expect(prompt.contains(part), "the prompt holds \(part)")
            }
        }
    }

    @Test(arguments: [
        ("Title\n\nBody text here.", "Title", "Body text here."),
        ("## **Title**\nBody", "Title", "Body"),
        ("Title: The Thing\n\nBody:\nSome body", "The Thing", "Some body"),
        ("<think>hmm, a title?</think>\n\"Quoted\"\n\nBody", "Quoted", "Body"),
        ("```json\n{\"title\": \"From JSON\", \"body\": \"JSON body\"}\n```", "From JSON", "JSON body"),
        ("```\nFenced\n\nFenced body\n```", "Fenced", "Fenced body"),
    ])
    func answersAreReadInTheShapesModelsGive(text: String, title: String, body: String) {
        let answer = ChatAnswer(parsing: text)
        #expect(answer?.title == title)
        #expect(answer?.body == body)
    }

    @Test func aLongTitleIsCutAtAWord() {
        let answer = ChatAnswer(parsing: String(repeating: "word ", count: 60) + "\n\nbody")
        #expect(answer.map { $0.title.count <= Validation.titleLength.upperBound && !$0.title.hasSuffix(" ") } == true)
    }

    @Test func theEnvironmentConfiguresTheProvider() throws {
        #expect(try OpenAICompatibleGenerator.Configuration(environment: [:]) == nil)
        #expect(try OpenAICompatibleGenerator.Configuration(environment: ["SMARTCONTENT_GENERATOR_MODEL": "m"]) == nil)
        let configuration = try #require(try OpenAICompatibleGenerator.Configuration(environment: [
            "SMARTCONTENT_GENERATOR_URL": "http://localhost:11434/v1/", "SMARTCONTENT_GENERATOR_MODEL": "llama3.2",
            "SMARTCONTENT_GENERATOR_API_KEY": Self.key, "SMARTCONTENT_GENERATOR_TIMEOUT_MS": "1500",
            "SMARTCONTENT_GENERATOR_MAX_ATTEMPTS": "5",
        ]))
        #expect(configuration.endpoint.absoluteString == "http://localhost:11434/v1/chat/completions")
        #expect(configuration.model == "llama3.2")
        #expect(configuration.timeout == .milliseconds(1500) && configuration.maxAttempts == 5)
        // The key stays out of every rendering of the configuration.
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), dumped] {
            #expect(!text.contains(Self.key), "\(text)")
        }

        let noModel = #expect(throws: OpenAICompatibleGenerator.Configuration.EnvironmentError.self) {
            try OpenAICompatibleGenerator.Configuration(environment: ["SMARTCONTENT_GENERATOR_URL": "http://localhost:11434/v1"])
        }
        #expect(noModel?.message.contains("SMARTCONTENT_GENERATOR_MODEL is required") == true)
        for bad in ["localhost:11434", "ftp://host/v1", "not a url"] {
            #expect(throws: OpenAICompatibleGenerator.Configuration.EnvironmentError.self) {
                try OpenAICompatibleGenerator.Configuration(environment: ["SMARTCONTENT_GENERATOR_URL": bad,
                                                                          "SMARTCONTENT_GENERATOR_MODEL": "m"])
            }
        }
        #expect(throws: OpenAICompatibleGenerator.Configuration.EnvironmentError.self) {
            try OpenAICompatibleGenerator.Configuration(environment: [
                "SMARTCONTENT_GENERATOR_URL": "http://h/v1", "SMARTCONTENT_GENERATOR_MODEL": "m",
                "SMARTCONTENT_GENERATOR_TIMEOUT_MS": "soon"])
        }
    }
}
