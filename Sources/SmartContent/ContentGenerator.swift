public import SmartContentDomain

/// What to generate (the original design's `POST /v1/content/generate` request).
public struct GenerationRequest: Hashable, Sendable, Codable {
    public var contentType: ContentType
    public var topic: String
    public var tone: Tone
    /// Words, 100 to 5000.
    public var length: Int
    public var keywords: [String]
    public var targetAudience: String?

    public init(contentType: ContentType, topic: String, tone: Tone = .professional, length: Int, keywords: [String] = [],
                targetAudience: String? = nil) {
        self.contentType = contentType
        self.topic = topic
        self.tone = tone
        self.length = length
        self.keywords = keywords
        self.targetAudience = targetAudience
    }

    /// `tone` (professional) and `keywords` (none) may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        contentType = try container.decode(ContentType.self, forKey: .contentType)
        topic = try container.decode(String.self, forKey: .topic)
        tone = try container.decodeIfPresent(Tone.self, forKey: .tone) ?? .professional
        length = try container.decode(Int.self, forKey: .length)
        keywords = try container.decodeIfPresent([String].self, forKey: .keywords) ?? []
        targetAudience = try container.decodeIfPresent(String.self, forKey: .targetAudience)
    }
}

public struct GeneratedContent: Hashable, Sendable {
    public var title: String
    public var body: String
    public var parameters: GenerationParameters

    public var wordCount: Int { body.split(whereSeparator: \.isWhitespace).count }
}

/// Writes content: the embedded offline generator, or a provider behind an HTTP API.
public protocol ContentGenerator: Sendable {
    func generate(_ request: GenerationRequest) async throws -> GeneratedContent
    /// Rewrites `body` following `instructions`, keeping roughly its length.
    func refine(title: String, body: String, instructions: String, contentType: ContentType, tone: Tone?) async throws
        -> GeneratedContent
}

/// Generates readable, deterministic text offline: the same request always gives the same
/// content, of the requested length (±10 %), on the topic, in the tone, with every keyword.
public struct OfflineContentGenerator: ContentGenerator {
    public static let name = "offline"
    public static let model = "smartcontent-offline-1"

    public init() {}

    public func generate(_ request: GenerationRequest) async throws -> GeneratedContent {
        let body = Self.compose(topic: request.topic, tone: request.tone, contentType: request.contentType,
                                keywords: request.keywords, audience: request.targetAudience, words: request.length)
        return GeneratedContent(
            title: Self.title(topic: request.topic, tone: request.tone, contentType: request.contentType),
            body: body,
            parameters: GenerationParameters(generator: Self.name, model: Self.model, topic: request.topic,
                                             length: request.length, targetAudience: request.targetAudience))
    }

    public func refine(title: String, body: String, instructions: String, contentType: ContentType, tone: Tone?) async throws
        -> GeneratedContent {
        let words = max(100, min(5000, body.split(whereSeparator: \.isWhitespace).count))
        let refined = Self.compose(topic: title, tone: tone ?? .professional, contentType: contentType,
                                   keywords: [], audience: nil, words: words, seed: instructions)
        return GeneratedContent(
            title: title, body: refined,
            parameters: GenerationParameters(generator: Self.name, model: Self.model, topic: title, length: words))
    }

    static func title(topic: String, tone: Tone, contentType: ContentType) -> String {
        let opener: String = switch tone {
        case .professional, .formal, .informative: "A Practical Guide to"
        case .casual, .friendly: "Let's Talk About"
        case .humorous: "The Surprisingly Fun Side of"
        case .persuasive: "Why You Should Care About"
        case .enthusiastic: "Everything Exciting About"
        }
        let suffix = contentType == .socialMedia ? "" : ": What Matters in 2026"
        return String("\(opener) \(topic)\(suffix)".prefix(200))
    }

    static let phrases: [Tone: [String]] = [
        .professional: ["Organizations that invest in", "deliver measurable results when", "A clear strategy for",
                        "helps teams align around", "Evidence shows that", "improves outcomes across"],
        .casual: ["Honestly,", "is kind of a big deal because", "If you've ever wondered about", "here's the thing:",
                  "you'll notice that", "makes everyday work easier"],
        .friendly: ["We love talking about", "because it brings people together.", "You might enjoy how",
                    "makes a real difference for", "Let's explore how", "can help you and your team"],
        .formal: ["It is widely acknowledged that", "constitutes a significant factor in", "The adoption of",
                  "warrants careful consideration of", "Accordingly,", "remains central to"],
        .humorous: ["Believe it or not,", "is more fun than a spreadsheet on a Friday.", "Nobody expects",
                    "to steal the show, and yet", "Plot twist:", "wins again"],
        .persuasive: ["Now is the moment to embrace", "because waiting costs more than acting.", "Imagine what",
                      "could unlock for you today.", "The case for", "has never been stronger"],
        .informative: ["Here are the facts about", "and why they matter.", "Research on", "points to three findings:",
                       "In short,", "shapes how we work"],
        .enthusiastic: ["We can't get enough of", "and you won't either!", "Get ready, because", "is taking off fast!",
                        "The best part of", "is just getting started"],
    ]

    /// Builds exactly `words` words (then the caller's ±10 % holds trivially) from a
    /// deterministic walk through the tone's phrases, weaving in the topic and keywords.
    static func compose(topic: String, tone: Tone, contentType: ContentType, keywords: [String], audience: String?,
                        words: Int, seed: String = "") -> String {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (topic + "|" + tone.rawValue + "|" + contentType.rawValue + "|" + keywords.joined(separator: ",")
                     + "|" + (audience ?? "") + "|" + seed).utf8 {
            state = (state ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        func next() -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % 1_000_003)
        }
        let phrases = Self.phrases[tone] ?? Self.phrases[.professional]!
        let topicWords = topic.split(whereSeparator: \.isWhitespace).map(String.init)
        var out: [String] = []
        out.reserveCapacity(words + 8)
        var keywordIndex = 0
        while out.count < words {
            let phrase = phrases[next() % phrases.count].split(separator: " ").map(String.init)
            out.append(contentsOf: phrase)
            if keywordIndex < keywords.count {
                out.append(keywords[keywordIndex])
                keywordIndex += 1
            } else {
                out.append(contentsOf: topicWords.isEmpty ? ["content"] : topicWords)
            }
            if let audience, next() % 5 == 0 { out.append(contentsOf: ["for", audience]) }
            if out.count % 3 == 0 { out[out.count - 1] += "." }
        }
        // Keywords the walk did not reach, or that the cut would drop, still make it in,
        // inside the word budget.
        var reserved = 0
        var text: [String] = []
        while true {
            let candidate = Array(out.prefix(max(0, words - reserved)))
            let joined = candidate.joined(separator: " ")
            let missing = keywords.filter { !joined.contains($0) }
            if missing.count <= reserved {
                text = candidate + missing
                break
            }
            reserved = missing.count
        }
        if var last = text.last, !last.hasSuffix(".") {
            last += "."
            text[text.count - 1] = last
        }
        return text.joined(separator: " ")
    }
}
