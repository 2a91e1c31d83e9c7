import SmartContentDomain

/// One turn of a chat-completions conversation.
struct ChatMessage: Codable, Hashable, Sendable {
    var role: String
    var content: String
}

/// The messages sent to a chat-completions model: every field of the request in the
/// prompt, and one answer format (the title on the first line, then the body) that
/// ``ChatAnswer`` reads.
enum ChatPrompt {
    static let format = """
        Answer with the title alone on the first line, then an empty line, then the body. \
        Write nothing else: no preamble, no labels such as "Title:", no notes, no word count.
        """

    static func generation(_ request: GenerationRequest) -> [ChatMessage] {
        let range = tolerance(request.length)
        var lines = [
            "Write \(describe(request.contentType)).",
            "Topic: \(request.topic)",
            "Tone: \(request.tone.rawValue)",
            "Length: about \(request.length) words in the body (between \(range.lowerBound) and \(range.upperBound)).",
        ]
        if !request.keywords.isEmpty {
            lines.append("Keywords to use, each at least once, naturally: \(request.keywords.joined(separator: ", ")).")
        }
        if let audience = request.targetAudience, !audience.isEmpty { lines.append("Target audience: \(audience)") }
        return [
            ChatMessage(role: "system", content: """
                You are a professional content writer. You write original, accurate content in the \
                requested tone for the requested audience, in the language of the topic. \(format)
                """),
            ChatMessage(role: "user", content: lines.joined(separator: "\n")),
        ]
    }

    static func refinement(_ request: RefinementRequest, tone: Tone?, keywords: [String], title: String?,
                           targetWords: Int?) -> [ChatMessage] {
        var lines = ["Edit this \(describe(request.contentType, article: false)) following the instructions."]
        lines.append("Instructions: \(request.instructions)")
        if let topic = request.topic { lines.append("Topic: \(topic)") }
        if let tone { lines.append("Tone: \(tone.rawValue)") }
        if !keywords.isEmpty { lines.append("Keywords the text must use: \(keywords.joined(separator: ", ")).") }
        let removed = request.keywords.filter { old in !keywords.contains { $0.caseInsensitiveCompare(old) == .orderedSame } }
        if !removed.isEmpty { lines.append("Keywords to remove from the text: \(removed.joined(separator: ", ")).") }
        if let title { lines.append("New title: \(title)") }
        if let targetWords {
            let range = tolerance(targetWords)
            lines.append("Length: about \(targetWords) words in the body (between \(range.lowerBound) and \(range.upperBound)).")
        }
        lines += ["", "Current title: \(request.title)", "", "Current body:", request.body]
        return [
            ChatMessage(role: "system", content: """
                You are an editor. You edit the text you are given as the instructions ask and \
                keep the rest of it as it is. \(format) The body is the whole edited text.
                """),
            ChatMessage(role: "user", content: lines.joined(separator: "\n")),
        ]
    }

    /// The follow-up that asks for the length again, after the model's answer.
    static func correction(words: Int, target: Int) -> ChatMessage {
        let range = tolerance(target)
        let change = words < target ? "Lengthen" : "Shorten"
        return ChatMessage(role: "user", content: """
            The body has \(words) words, but it must have between \(range.lowerBound) and \(range.upperBound) \
            (about \(target)). \(change) it to that length, keeping the title, tone and keywords. \(format)
            """)
    }

    /// Word counts within 10 % of `target`.
    static func tolerance(_ target: Int) -> ClosedRange<Int> {
        let lower = Int((Double(target) * 0.9).rounded(.up)), upper = Int((Double(target) * 1.1).rounded(.down))
        return max(1, lower)...max(1, upper)
    }

    static func isWithinTolerance(_ words: Int, of target: Int) -> Bool { tolerance(target).contains(words) }

    /// The words an instruction asks for ("about 80 words", "half as long"), if any.
    static func targetWords(_ instructions: RefineInstructions, currentBody body: String) -> Int? {
        let words = body.split(whereSeparator: \.isWhitespace).count
        let target: Int? = switch instructions.length {
        case .words(let count): count
        case .scale(let scale): Int((Double(words) * scale).rounded())
        case nil: nil
        }
        return target.map { min(max(1, $0), Validation.maxGenerationWords) }
    }

    /// The keywords after the instructions' additions and removals, and the additions
    /// refused (too long, too many) with why.
    static func keywords(_ current: [String], after instructions: RefineInstructions) -> ([String], notApplied: [String]) {
        var keywords = current.filter { keyword in
            !instructions.removeKeywords.contains { $0.caseInsensitiveCompare(keyword) == .orderedSame }
        }
        var notApplied: [String] = []
        for keyword in instructions.addKeywords where !keywords.contains(where: { $0.caseInsensitiveCompare(keyword) == .orderedSame }) {
            if !Validation.keywordLength.contains(keyword.count) {
                notApplied.append("add keyword \(keyword) (a keyword is at most \(Validation.keywordLength.upperBound) characters)")
            } else if keywords.count >= Validation.maxKeywords {
                notApplied.append("add keyword \(keyword) (content has at most \(Validation.maxKeywords) keywords)")
            } else {
                keywords.append(keyword)
            }
        }
        return (keywords, notApplied)
    }

    /// The request's seed as the integer compatible servers take (below 2^31: some read it
    /// as a 32-bit number). Servers that honour it make answers repeatable, not identical.
    static func seed(_ seed: GenerationSeed) -> Int64 { Int64(seed.bits % 2_147_483_647) }

    static func describe(_ type: ContentType, article: Bool = true) -> String {
        let (name, withArticle): (String, String) = switch type {
        case .blogPost: ("blog post", "a blog post")
        case .article: ("article", "an article")
        case .socialMedia: ("social media post", "a social media post")
        case .email: ("email (the title is its subject line)", "an email (the title is its subject line)")
        case .adCopy: ("ad copy", "ad copy")
        case .productDescription: ("product description", "a product description")
        case .newsletter: ("newsletter issue", "a newsletter issue")
        }
        return article ? withArticle : name
    }
}
