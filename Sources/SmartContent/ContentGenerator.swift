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
        let titled = topic.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        return String("\(opener) \(titled)\(suffix)".prefix(200))
    }

    /// Sentence templates by tone: `{topic}`/`{Topic}` is the topic, `{keyword}`/`{Keyword}`
    /// the next keyword (the topic when there are none), `{audience}` the target audience.
    static let sentences: [Tone: [String]] = [
        .professional: [
            "{Topic} has become a practical priority for teams that want predictable results.",
            "The teams that get the most from {topic} start with one clear goal and measure it every week.",
            "{Keyword} is where much of the value shows up, because it connects strategy to daily work.",
            "A sensible first step is to map how {keyword} fits the way your team already works.",
            "For {audience}, the real question is not whether to adopt {topic} but how to do it without disruption.",
            "Document what you learn about {keyword} and share it, so that every project starts where the last one ended.",
            "Choose one measurable outcome, review it after thirty days, and adjust the plan to the evidence.",
        ],
        .casual: [
            "Let's be honest: {topic} is one of those things everyone talks about and few people explain well.",
            "Here's the short version of why {keyword} matters.",
            "You don't need a big plan to get started with {keyword}; a small experiment this week will do.",
            "If you're one of the {audience} out there, you've probably already noticed how fast {topic} is moving.",
            "The fun part is seeing what changes once {keyword} becomes part of your routine.",
            "Try it, keep what works, and drop what doesn't.",
            "That's really all there is to {topic} at the start.",
        ],
        .friendly: [
            "We love talking about {topic}, because it brings people together around a shared goal.",
            "If {keyword} is new to you, don't worry: everyone starts somewhere, and we're happy to help.",
            "A good way in is to ask your team what {keyword} could make easier for them.",
            "For {audience}, we've seen {topic} turn long afternoons into quick wins.",
            "Take it one step at a time, and celebrate the small improvements along the way.",
            "We'd love to hear how {keyword} works out for you.",
            "Together, we can make {topic} something everyone looks forward to.",
        ],
        .formal: [
            "{Topic} constitutes a significant consideration for any organization planning its next stage of growth.",
            "It is advisable to evaluate {keyword} against clearly stated objectives before committing resources.",
            "The adoption of {keyword} warrants a careful assessment of costs, risks and expected benefits.",
            "For {audience}, the governance of {topic} deserves the same rigour as any other strategic decision.",
            "Accordingly, a phased approach with defined review points is recommended.",
            "Records of decisions concerning {keyword} should be kept and reviewed periodically.",
            "In conclusion, {topic} rewards deliberate planning and consistent execution.",
        ],
        .humorous: [
            "Believe it or not, {topic} is more fun than a spreadsheet on a Friday afternoon.",
            "Nobody expects {keyword} to steal the show, and yet here we are.",
            "Plot twist: {keyword} works best when you stop overthinking it.",
            "If you are one of the {audience} who secretly enjoy this stuff, your secret is safe with us.",
            "Think of {topic} as a gym membership that actually gets used.",
            "The first week with {keyword} is chaos; the second week is bragging rights.",
            "And that, friends, is how {topic} wins again.",
        ],
        .persuasive: [
            "Now is the moment to take {topic} seriously, because waiting costs more than acting.",
            "Imagine what {keyword} could unlock for your team by the end of this quarter.",
            "The case for {keyword} has never been stronger, and the early movers are already ahead.",
            "For {audience}, {topic} is no longer optional: it is how the next leaders will be decided.",
            "Every week without a plan for {keyword} is a week your competitors use well.",
            "Start small, prove the value, and then scale what works.",
            "The best time to commit to {topic} was last year; the second best is today.",
        ],
        .informative: [
            "Here are the facts about {topic}, and why they matter.",
            "{Keyword} refers to a set of practices that teams use to work faster with fewer errors.",
            "Research on {keyword} points to three consistent findings: clarity, feedback and repetition.",
            "For {audience}, the most useful measure of {topic} is the time it saves each week.",
            "In practice, {keyword} works best when it is introduced gradually and reviewed often.",
            "Common mistakes include changing too much at once and measuring too little.",
            "In short, {topic} shapes how modern teams plan, build and learn.",
        ],
        .enthusiastic: [
            "We can't get enough of {topic}, and once you try it, you won't either!",
            "Get ready, because {keyword} is taking off fast!",
            "The best part of {keyword} is how quickly it turns small ideas into real results!",
            "If you're one of the {audience} who love a good challenge, {topic} is made for you!",
            "Every new experiment with {keyword} teaches you something worth sharing!",
            "Grab your team, pick a first project, and jump in!",
            "The future of {topic} is just getting started!",
        ],
    ]

    /// Builds exactly `words` words (so the caller's ±10 % holds) of sentences in the tone,
    /// in paragraphs, framed for the content type, with every keyword, deterministically:
    /// the same request gives the same text.
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
        func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
        func tokens(_ text: String) -> [String] { text.split(whereSeparator: \.isWhitespace).map(String.init) }

        let templates = (Self.sentences[tone] ?? Self.sentences[.professional]!)
            .filter { audience != nil || !$0.contains("{audience}") }
        let topicText = topic.isEmpty ? "this topic" : topic
        var keywordIndex = 0
        // Templates are drawn without replacement (a bag refilled when empty), so the text
        // does not repeat a sentence before it has used the others.
        var bag: [String] = []
        func draw(withKeyword: Bool) -> String {
            func candidates() -> [Int] {
                withKeyword ? bag.indices.filter { bag[$0].lowercased().contains("{keyword}") } : Array(bag.indices)
            }
            var found = candidates()
            if found.isEmpty {
                bag = templates
                found = candidates()
            }
            return bag.remove(at: found[next() % found.count])
        }
        func sentence() -> [String] {
            // Keywords first, each once, so that even short texts carry them all.
            var text = draw(withKeyword: keywordIndex < keywords.count)
            if text.lowercased().contains("{keyword}") {
                let keyword = keywords.isEmpty ? topicText : keywords[keywordIndex % keywords.count]
                keywordIndex += 1
                text = text.replacingOccurrences(of: "{Keyword}", with: capitalized(keyword))
                    .replacingOccurrences(of: "{keyword}", with: keyword)
            }
            text = text.replacingOccurrences(of: "{Topic}", with: capitalized(topicText))
                .replacingOccurrences(of: "{topic}", with: topicText)
                .replacingOccurrences(of: "{audience}", with: audience ?? "")
            return tokens(text)
        }

        // The frame of the content type, inside the word budget.
        let (opening, closing): ([String], [String]) = switch contentType {
        case .email, .newsletter: (["Hi", "there,"], ["Best", "regards,", "the", "team."])
        case .socialMedia: ([], keywords.prefix(3).map { "#" + $0.filter { !$0.isWhitespace } })
        case .adCopy: ([], ["Get", "started", "today."])
        default: ([], [])
        }
        let sentencesPerParagraph = contentType == .socialMedia || contentType == .adCopy ? 3 : 4
        let budget = max(1, words - opening.count - closing.count)
        var paragraphs: [[String]] = [[]]
        var count = 0
        var inParagraph = 0
        var lastSentence = 0
        while count < budget {
            if inParagraph == sentencesPerParagraph {
                paragraphs.append([])
                inParagraph = 0
            }
            let next = sentence()
            paragraphs[paragraphs.count - 1] += next
            count += next.count
            lastSentence = next.count
            inParagraph += 1
        }
        // Cut to the budget, ending on a full stop; a sentence cut short is dropped whole
        // when the text stays within 8 % of the length asked.
        var excess = count - budget
        if excess > 0, lastSentence > 0, count - lastSentence >= budget - budget * 8 / 100 {
            excess = lastSentence
        }
        while excess > 0 {
            let cut = min(excess, paragraphs[paragraphs.count - 1].count)
            paragraphs[paragraphs.count - 1].removeLast(cut)
            if paragraphs[paragraphs.count - 1].isEmpty && paragraphs.count > 1 { paragraphs.removeLast() }
            excess -= cut
        }
        func endSentence(_ paragraph: inout [String]) {
            guard var last = paragraph.last else { return }
            while let end = last.last, ",;:".contains(end) { last.removeLast() }
            if let end = last.last, !".!?".contains(end) { last += "." }
            paragraph[paragraph.count - 1] = last
        }
        endSentence(&paragraphs[paragraphs.count - 1])
        // A keyword the cut dropped still makes it in, in place of the last words.
        let text = paragraphs.map { $0.joined(separator: " ") }.joined(separator: " ")
        let missing = keywords.filter { !text.contains($0) }
        if !missing.isEmpty {
            let note = tokens("Key points: " + missing.joined(separator: ", ") + ".")
            var remove = note.count
            while remove > 0, !paragraphs.isEmpty {
                let cut = min(remove, paragraphs[paragraphs.count - 1].count)
                paragraphs[paragraphs.count - 1].removeLast(cut)
                if paragraphs[paragraphs.count - 1].isEmpty { paragraphs.removeLast() }
                remove -= cut
            }
            if !paragraphs.isEmpty { endSentence(&paragraphs[paragraphs.count - 1]) }
            paragraphs.append(note)
        }
        var blocks = paragraphs.map { $0.joined(separator: " ") }
        if !opening.isEmpty { blocks.insert(opening.joined(separator: " "), at: 0) }
        if !closing.isEmpty { blocks.append(closing.joined(separator: " ")) }
        return blocks.joined(separator: "\n\n")
    }
}
