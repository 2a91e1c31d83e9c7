public import SmartContentDomain

/// Writes text offline from a bank of phrases: grammatical sentences built from parts, none
/// repeated within a piece, every keyword inside a sentence, in the tone, framed for the
/// content type, of the requested length (±10 %, by choosing whole sentences). A seed makes
/// it reproducible; without one each request gives other text.
public struct OfflineContentGenerator: ContentGenerator {
    public static let name = "offline"
    public static let model = "smartcontent-offline-2"

    public init() {}

    public func generate(_ request: GenerationRequest) async throws -> GeneratedContent {
        Self.generate(request)
    }

    /// The work of ``generate(_:)``, synchronous: it takes microseconds to milliseconds.
    static func generate(_ request: GenerationRequest) -> GeneratedContent {
        // The tone and type stir the seed, so that one seed gives each its own text.
        let seed = (request.seed?.bits ?? UInt64.random(in: .min ... .max))
            ^ SplitMix64.seed(request.tone.rawValue + "|" + request.contentType.rawValue)
        var composer = Composer(tone: request.tone, topic: request.topic, keywords: request.keywords,
                                audience: request.targetAudience, random: SplitMix64(seed: seed))
        let title = composer.title(topic: request.topic)
        let body = composer.piece(words: request.length, contentType: request.contentType)
        return GeneratedContent(
            title: title, body: body,
            parameters: GenerationParameters(generator: name, model: model, topic: request.topic, length: request.length,
                                             targetAudience: request.targetAudience))
    }

    public func refine(title: String, body: String, instructions: String, contentType: ContentType, tone: Tone?) async throws
        -> GeneratedContent {
        let words = max(100, min(5000, body.split(whereSeparator: \.isWhitespace).count))
        var composer = Composer(tone: tone ?? .professional, topic: title, keywords: [], audience: nil,
                                random: SplitMix64(seed: SplitMix64.seed(instructions)))
        return GeneratedContent(
            title: title, body: composer.piece(words: words, contentType: contentType),
            parameters: GenerationParameters(generator: Self.name, model: Self.model, topic: title, length: words))
    }
}
