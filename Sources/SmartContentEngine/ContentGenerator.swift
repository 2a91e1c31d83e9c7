public import SmartContentDomain

/// What to generate (the original design's `POST /v1/content/generate` request).
public struct GenerationRequest: Hashable, Sendable, Codable {
    public var contentType: ContentType
    public var topic: String
    public var tone: Tone
    /// Words (±10 %): ``Validation/generationWords(for:)`` of the content type, from 10
    /// words for a social post to 5000.
    public var length: Int
    public var keywords: [String]
    public var targetAudience: String?
    /// The same request with the same seed gives the same text; without one, each request
    /// gives another.
    public var seed: GenerationSeed?

    public init(contentType: ContentType, topic: String, tone: Tone = .professional, length: Int, keywords: [String] = [],
                targetAudience: String? = nil, seed: GenerationSeed? = nil) {
        self.contentType = contentType
        self.topic = topic
        self.tone = tone
        self.length = length
        self.keywords = keywords
        self.targetAudience = targetAudience
        self.seed = seed
    }

    /// `tone` (professional), `keywords` (none) and `seed` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        contentType = try container.decode(ContentType.self, forKey: .contentType)
        topic = try container.decode(String.self, forKey: .topic)
        tone = try container.decodeIfPresent(Tone.self, forKey: .tone) ?? .professional
        length = try container.decode(Int.self, forKey: .length)
        keywords = try container.decodeIfPresent([String].self, forKey: .keywords) ?? []
        targetAudience = try container.decodeIfPresent(String.self, forKey: .targetAudience)
        seed = try container.decodeIfPresent(GenerationSeed.self, forKey: .seed)
    }
}

/// What makes generation reproducible: an integer or a string, as the caller likes.
public enum GenerationSeed: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral {
    case integer(Int64)
    case text(String)

    public static let maxTextLength = 200

    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }

    /// A seed drawn from the system's randomness; an integer below 2^53, so that it survives
    /// JSON clients that read numbers as doubles.
    public static func random() -> GenerationSeed { .integer(Int64.random(in: 0..<(1 << 53))) }

    /// The 64 bits the generator starts from.
    public var bits: UInt64 {
        switch self {
        case .integer(let value): UInt64(bitPattern: value)
        case .text(let text): SplitMix64.seed(text)
        }
    }

    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .text(let text): text
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be a string or an integer")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let value): try container.encode(value)
        case .text(let text): try container.encode(text)
        }
    }
}

public struct GeneratedContent: Hashable, Sendable {
    public var title: String
    public var body: String
    public var parameters: GenerationParameters

    public var wordCount: Int { body.split(whereSeparator: \.isWhitespace).count }
}

/// What to refine: the content as it is, and the editor's instructions.
public struct RefinementRequest: Hashable, Sendable {
    public var title: String
    public var body: String
    public var instructions: String
    public var contentType: ContentType
    public var tone: Tone?
    public var keywords: [String]
    /// What the content is about when it was generated; otherwise the title says.
    public var topic: String?

    public init(title: String, body: String, instructions: String, contentType: ContentType, tone: Tone? = nil,
                keywords: [String] = [], topic: String? = nil) {
        self.title = title
        self.body = body
        self.instructions = instructions
        self.contentType = contentType
        self.tone = tone
        self.keywords = keywords
        self.topic = topic
    }
}

/// Refined content: its new title, body, tone and keywords, and the instructions that were
/// not followed, each with why.
public struct RefinedContent: Hashable, Sendable {
    public var title: String
    public var body: String
    public var tone: Tone?
    public var keywords: [String]
    public var notApplied: [String]
    public var parameters: GenerationParameters

    public init(title: String, body: String, tone: Tone?, keywords: [String], notApplied: [String],
                parameters: GenerationParameters) {
        self.title = title
        self.body = body
        self.tone = tone
        self.keywords = keywords
        self.notApplied = notApplied
        self.parameters = parameters
    }

    public var wordCount: Int { body.split(whereSeparator: \.isWhitespace).count }
}

/// Writes content: the embedded offline generator, or a provider behind an HTTP API.
public protocol ContentGenerator: Sendable {
    func generate(_ request: GenerationRequest) async throws -> GeneratedContent
    /// Edits the content following the instructions; names those it could not follow in
    /// ``RefinedContent/notApplied`` rather than ignoring them.
    func refine(_ request: RefinementRequest) async throws -> RefinedContent
}
