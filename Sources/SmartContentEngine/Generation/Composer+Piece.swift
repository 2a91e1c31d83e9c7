import SmartContentDomain

extension Composer {
    /// The longest a final sentence is asked to be; a longer remainder is split over two.
    static let finalSentenceWords = 32

    /// A whole piece of `words` words (the API's count: runs of non-whitespace), framed for
    /// the content type: an introduction, paragraphs that open with a topic sentence, a
    /// closing; a greeting and sign-off for email, hashtags for social media, a call to
    /// action for ads. The length is reached by choosing whole sentences of suitable
    /// lengths, the last one built to the exact remainder: nothing is ever cut. The frame,
    /// the introduction and the ending give way first when room is short; a topic and
    /// keywords that need more words than asked all go in even so.
    mutating func piece(words target: Int, contentType: ContentType) -> String {
        let framed = contentType == .email || contentType == .newsletter
        var greeting: String? = framed ? voice.greeting : nil
        var signOff: String? = framed ? voice.signOff : nil
        var hashtags: String? = contentType == .socialMedia ? Self.hashtags(keywords.isEmpty ? [topic] : keywords) : nil
        func frameWords() -> Int { [greeting, signOff, hashtags].reduce(0) { $0 + ($1.map(Phrase.wordCount) ?? 0) } }
        // The shortest sentence that holds the topic and every keyword.
        let needed = Focus([topic] + keywords).words + 4
        // Sentences come first: the frame goes when it would leave them too little room.
        if hashtags != nil, target - frameWords() < max(16, needed) { hashtags = nil }
        if greeting != nil, target - frameWords() < max(30, needed) { (greeting, signOff) = (nil, nil) }
        let budget = max(1, target - frameWords())

        let structured = contentType != .socialMedia && contentType != .adCopy
        var ending: Sentence?
        if contentType == .adCopy, budget >= 16 {
            ending = callToAction(focus: Focus([topic]))
        } else if structured, budget >= 60 {
            ending = closing(focus: Focus([topic]))
        }
        if let found = ending, budget - found.words < needed { ending = nil }
        var remaining = budget - (ending?.words ?? 0)
        let paragraphSizes: ClosedRange<Int> = switch contentType {
        case .email: 2...4
        case .socialMedia, .adCopy: budget <= 80 ? 1000...1000 : 2...4
        default: 3...6
        }
        let topicSentences = structured && contentType != .email && budget >= 150
        let introduces = budget >= 40
        // Short texts put several keywords in a sentence, so that all of them fit.
        let estimatedSentences = max(1, remaining / 17)
        setKeywordsPerSentence(estimatedSentences)

        var paragraphs: [[String]] = [[]]
        paragraphs[0].reserveCapacity(8)
        var inParagraph = 0
        var paragraphSize = random.within(paragraphSizes)
        // Questions and examples are spices: one in a paragraph at most, and some distance apart.
        var askedQuestion = false, gaveExample = false
        var sinceQuestion = 0, sinceExample = 0
        func append(_ sentence: Sentence) {
            paragraphs[paragraphs.count - 1].append(sentence.text)
            inParagraph += 1
            remaining -= sentence.words
            sinceQuestion += sentence.words
            sinceExample += sentence.words
        }
        /// A sentence of fixed length, if it leaves room for another, or nothing when no
        /// keyword is waiting; otherwise its keywords wait for the next sentence.
        func fitting(_ focus: Focus?, _ make: (inout Composer, Focus) -> Sentence?) -> Sentence? {
            guard let focus else { return nil }
            if let sentence = make(&self, focus) {
                let left = remaining - sentence.words
                if left >= 10 || (left == 0 && !hasPendingKeywords) { return sentence }
            }
            restore(focus)
            return nil
        }

        // An introduction, if it leaves room for the keywords; else a statement on the topic
        // (with every keyword, in a text too short for more sentences).
        let keywordRoom = keywords.isEmpty ? 0 : Focus(keywords).words + 4
        var opened = false
        if introduces, let first = fitting(Focus([topic]), { $0.introduction(focus: $1) }), remaining - first.words >= keywordRoom {
            append(first)
            opened = true
        }
        if !opened {
            // Room for a statement on the topic and then one with the keywords? Else one with all.
            let alone = introduces && remaining - (Focus([topic]).words + 14) >= keywordRoom + 4
            let focus = alone ? Focus([topic]) : topicAndPendingKeywords()
            let last = remaining <= Self.finalSentenceWords || !alone
            if let first = statement(focus: focus, desired: last ? remaining : max(focus.words + 6, random.within(10...20)),
                                     exact: last) {
                append(first)
            }
        }
        while remaining > 0 {
            if inParagraph >= paragraphSize, remaining >= 45 {
                paragraphs.append([])
                inParagraph = 0
                paragraphSize = random.within(paragraphSizes)
                askedQuestion = false
                gaveExample = false
                if topicSentences, random.chance(60), let opening = fitting(nextFocus(required: true), { $0.topicSentence(focus: $1) }) {
                    append(opening)
                    continue
                }
            }
            if remaining <= Self.finalSentenceWords {
                // The last sentence: every keyword still waiting, and exactly the words left.
                let focus = allPendingKeywords() ?? nextFocus(required: false)
                guard let last = statement(focus: focus, desired: remaining, exact: true) else { break }
                append(last)
                if remaining < 4 { break }
                continue
            }
            let desired = remaining <= 2 * Self.finalSentenceWords
                ? remaining - random.within(10...18) : random.within(8...24)
            let lastInParagraph = inParagraph + 1 >= paragraphSize
            var sentence: Sentence?
            switch random.below(100) {
            case 0..<12 where !askedQuestion && !lastInParagraph && inParagraph > 0 && sinceQuestion >= 100:
                askedQuestion = true
                sentence = fitting(nextFocus(required: true)) { $0.question(focus: $1) }
                if sentence != nil { sinceQuestion = 0 }
            case 12..<24 where !gaveExample && sinceExample >= 120 && contentType != .socialMedia && contentType != .adCopy:
                gaveExample = true
                sentence = fitting(nextFocus(required: true)) { $0.example(focus: $1) }
                if sentence != nil { sinceExample = 0 }
            case 24..<40:
                sentence = fitting(nextFocus(required: true)) { $0.instruction(focus: $1, desired: desired) }
            default:
                break
            }
            if sentence == nil {
                let focus = nextFocus(required: false)
                sentence = statement(focus: focus, desired: desired)
                if sentence == nil { restore(focus) }
            }
            guard let sentence else { break }
            append(sentence)
        }
        // Every keyword goes in, even when it makes the text longer than asked.
        if let focus = allPendingKeywords(), let sentence = statement(focus: focus, desired: focus.words + 5) {
            append(sentence)
        }
        if let ending {
            paragraphs[paragraphs.count - 1].append(ending.text)
        }

        var blocks: [String] = []
        blocks.reserveCapacity(paragraphs.count + 3)
        if let greeting { blocks.append(greeting) }
        for paragraph in paragraphs where !paragraph.isEmpty { blocks.append(paragraph.joined(separator: " ")) }
        if let signOff { blocks.append(signOff) }
        if let hashtags { blocks.append(hashtags) }
        return blocks.joined(separator: "\n\n")
    }

    /// Up to three hashtags: "IoT devices" → "#IoTDevices".
    static func hashtags(_ terms: [String]) -> String? {
        let tags = terms.prefix(3).compactMap { term -> String? in
            let words = term.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            let tag = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            return tag.isEmpty ? nil : "#" + tag
        }
        return tags.isEmpty ? nil : tags.joined(separator: " ")
    }
}
