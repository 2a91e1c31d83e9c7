public import Foundation
import SmartContentDomain

/// Writes and refines content with a model behind an OpenAI-compatible chat-completions
/// API: OpenAI itself, or a server of your own such as Ollama (`http://localhost:11434/v1`)
/// or llama.cpp's (`http://localhost:8080/v1`).
///
/// It posts to `{baseURL}/chat/completions` a system message and a prompt built from every
/// field of the request, and reads the answer's first line as the title and the rest as
/// the body (a JSON object with `title` and `body` is read too). A body whose word count
/// misses the requested length by more than 10 % is sent back once with a request to
/// lengthen or shorten it; the closer of the two answers is kept.
///
/// ## Errors
/// ``GeneratorUnavailable``, after retries: each request may take ``Configuration/timeout``;
/// connection failures, timeouts, 408, 429 and 5xx are retried up to
/// ``Configuration/maxAttempts`` times in all, after an exponential backoff with jitter or
/// the provider's `Retry-After`; other statuses and malformed answers are not retried.
public struct OpenAICompatibleGenerator: ContentGenerator {
    /// The provider recorded in the events' `generated.generator`.
    public static let name = "openai-compatible"

    public struct Configuration: Sendable, CustomStringConvertible {
        /// The API's base, with its version path (`https://api.openai.com/v1`): the
        /// generator appends `/chat/completions`. An URL that already ends in
        /// `/chat/completions` is taken as the endpoint itself.
        public var baseURL: URL
        /// The model the provider runs (`gpt-4o-mini`, `llama3.2`): recorded in the events.
        public var model: String
        /// Sent as `Authorization: Bearer …` when set; local servers need none. Never
        /// recorded, logged or put in an error.
        public var apiKey: GeneratorAPIKey?
        /// The most one request may take, from connecting to the last byte of the answer.
        public var timeout: Duration = .seconds(30)
        /// Requests per generation, the first included, before ``GeneratorUnavailable``.
        public var maxAttempts = 3
        /// The first retry's delay, doubled for each further one, with jitter.
        public var backoff: Duration = .milliseconds(500)
        /// A `Retry-After` longer than this is not waited for: the caller gets the 503 at
        /// once, with the provider's `Retry-After`.
        public var maxRetryDelay: Duration = .seconds(10)

        public init(baseURL: URL, model: String, apiKey: String? = nil) {
            self.baseURL = baseURL
            self.model = model
            self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : GeneratorAPIKey($0) }
        }

        /// Where the requests go.
        public var endpoint: URL {
            var text = baseURL.absoluteString
            while text.hasSuffix("/") { text.removeLast() }
            if text.hasSuffix("/chat/completions") { return URL(string: text) ?? baseURL }
            return URL(string: text + "/chat/completions") ?? baseURL
        }

        /// The endpoint without user info, query or fragment: what messages may show.
        public var displayEndpoint: String {
            guard var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false) else { return "the provider" }
            components.user = nil
            components.password = nil
            components.query = nil
            components.fragment = nil
            return components.string ?? "the provider"
        }

        public var description: String {
            "\(OpenAICompatibleGenerator.name) \(displayEndpoint) model \(model)\(apiKey == nil ? "" : " with an API key")"
        }
    }

    public let configuration: Configuration
    let client: ChatCompletionsClient

    public init(configuration: Configuration) {
        self.configuration = configuration
        client = ChatCompletionsClient(configuration)
    }

    public func generate(_ request: GenerationRequest) async throws -> GeneratedContent {
        let answer = try await answer(ChatPrompt.generation(request), seed: request.seed.map(ChatPrompt.seed),
                                      targetWords: request.length)
        return GeneratedContent(
            title: answer.title, body: answer.body,
            parameters: GenerationParameters(generator: Self.name, model: configuration.model, topic: request.topic,
                                             length: request.length, targetAudience: request.targetAudience))
    }

    /// Asks the model to edit the text. Tone, keywords and an explicit title are read from
    /// the instructions as the offline generator reads them (``RefineInstructions``), so the
    /// event's fields say what the model was asked; a length asked for is held to ±10 %.
    public func refine(_ request: RefinementRequest) async throws -> RefinedContent {
        let instructions = RefineInstructions(request.instructions)
        let (keywords, notApplied) = ChatPrompt.keywords(request.keywords, after: instructions)
        let tone = instructions.tone ?? request.tone
        let targetWords = ChatPrompt.targetWords(instructions, currentBody: request.body)
        let messages = ChatPrompt.refinement(request, tone: tone, keywords: keywords, title: instructions.title,
                                             targetWords: targetWords)
        let answer = try await answer(messages, seed: nil, targetWords: targetWords)
        return RefinedContent(
            title: instructions.title ?? answer.title, body: answer.body, tone: tone, keywords: keywords,
            notApplied: notApplied,
            parameters: GenerationParameters(generator: Self.name, model: configuration.model,
                                             topic: request.topic ?? request.title, length: answer.wordCount))
    }

    /// The model's answer to `messages`, read as a title and a body; when its length misses
    /// `targetWords` by more than 10 %, the closer of it and one corrected answer.
    func answer(_ messages: [ChatMessage], seed: Int64?, targetWords: Int?) async throws -> ChatAnswer {
        let (text, attempts) = try await client.complete(messages, seed: seed)
        guard let first = ChatAnswer(parsing: text) else { throw client.malformed(text, attempts: attempts) }
        guard let targetWords, !ChatPrompt.isWithinTolerance(first.wordCount, of: targetWords) else { return first }
        let correction = messages + [ChatMessage(role: "assistant", content: text),
                                     ChatPrompt.correction(words: first.wordCount, target: targetWords)]
        // The first answer is content already: a correction that fails keeps it rather than
        // turning a slightly long text into a 503.
        guard let retried = try? await client.complete(correction, seed: seed), let second = ChatAnswer(parsing: retried.text)
        else { return first }
        return abs(second.wordCount - targetWords) < abs(first.wordCount - targetWords) ? second : first
    }
}

/// An API key that stays out of descriptions, dumps and reflection: printing a
/// configuration or an error that holds one shows `[redacted]`.
public struct GeneratorAPIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { "[redacted]" }
    public var debugDescription: String { "[redacted]" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
