import SmartContentDomain

/// Writes sentences in one tone from the ``PhraseBank``: each built from parts chosen to
/// reach a wanted number of words, none written twice, each keyword inside a sentence.
/// Used to generate a whole piece, and by refine to add sentences to an existing one.
struct Composer {
    /// What a sentence is about: the topic, a keyword, or several keywords as a list.
    struct Focus: Hashable {
        let text: String
        let words: Int
        /// "a, b and c" reads well only where nothing must agree with it: as an object.
        let isList: Bool
        /// Keywords taken from those waiting for a sentence: given back if it is not written.
        var pendingTerms: [String] = []

        init(_ terms: [String]) {
            text = switch terms.count {
            case 0: ""
            case 1: terms[0]
            default: terms.dropLast().joined(separator: ", ") + " and " + terms[terms.count - 1]
            }
            words = Phrase.wordCount(text)
            isList = terms.count > 1
        }
    }

    struct Sentence: Hashable {
        var text: String
        var words: Int
    }

    private enum Part: Int, CaseIterable {
        case opener, subjectWithFocus, subject, verb, objectWithFocus, object, connective, instruction,
             exampleIntroduction, example, question, topicSentence, theme, introduction, closing, callToAction, title
    }

    var random: SplitMix64
    let tone: Tone
    let voice: Voice
    let topic: String
    private(set) var keywords: [String]
    private let parts: [[Phrase]]
    private var decks: [Deck]
    /// How often each phrase was used, by part.
    private var uses: [[Int]]
    /// Every sentence written, and those of a text being edited: none is written twice.
    var written: Set<String> = []
    /// Keywords not yet in a sentence.
    private var pending: [String]
    /// Keywords a sentence takes while some are pending (more when the text is short).
    private var keywordsPerSentence = 1
    private var turn = 0

    init(tone: Tone, topic: String, keywords: [String], audience: String?, random: SplitMix64) {
        self.random = random
        self.tone = tone
        self.voice = PhraseBank.voice(tone)
        self.topic = Self.inSentence(topic)
        self.keywords = keywords
        self.pending = keywords
        var parts = [[Phrase]](repeating: [], count: Part.allCases.count)
        let audience = audience.map { Self.inSentence($0) }.flatMap { $0.isEmpty ? nil : $0 }
        parts[Part.opener.rawValue] = voice.openers
            + (audience.map { name in PhraseBank.audienceOpeners.map { Phrase($0.text(name)) } } ?? [])
        parts[Part.subjectWithFocus.rawValue] = PhraseBank.subjectsWithFocus
        parts[Part.subject.rawValue] = PhraseBank.subjects
        parts[Part.verb.rawValue] = PhraseBank.verbs
        parts[Part.objectWithFocus.rawValue] = PhraseBank.objectsWithFocus
        parts[Part.object.rawValue] = PhraseBank.objects
        parts[Part.connective.rawValue] = voice.connectives + PhraseBank.connectives
        parts[Part.instruction.rawValue] = voice.instructions
        parts[Part.exampleIntroduction.rawValue] = voice.exampleIntroductions
        parts[Part.example.rawValue] = PhraseBank.examples
        parts[Part.question.rawValue] = voice.questions
        parts[Part.topicSentence.rawValue] = voice.topicSentences
        parts[Part.theme.rawValue] = PhraseBank.themes
        parts[Part.introduction.rawValue] = voice.introductions
        parts[Part.closing.rawValue] = voice.closings
        parts[Part.callToAction.rawValue] = voice.callsToAction
        parts[Part.title.rawValue] = voice.titles
        self.parts = parts
        decks = parts.map { Deck(size: $0.count) }
        uses = parts.map { [Int](repeating: 0, count: $0.count) }
    }

    // MARK: Choosing phrases

    private mutating func peek(_ part: Part, _ offset: Int) -> Phrase {
        parts[part.rawValue][decks[part.rawValue].peek(offset, &random)]
    }

    private mutating func take(_ part: Part, _ offset: Int) {
        uses[part.rawValue][decks[part.rawValue].take(offset)] += 1
    }

    private func has(_ part: Part) -> Bool { !parts[part.rawValue].isEmpty }

    /// Whole sentences of the tone (questions, instructions, topic sentences) come back at
    /// most this many times each: more would be noticed.
    private static let wholeSentenceRounds = 2

    private func available(_ part: Part) -> Bool {
        has(part) && decks[part.rawValue].rounds < Self.wholeSentenceRounds
    }

    /// Counts the phrases `text` already holds as used, so that sentences added to it
    /// take others first.
    mutating func noteUses(in text: String) {
        // Word by word, punctuation aside: one pass over the text, then a lookup per phrase.
        func words(_ text: String) -> [String] { Piece.words(text.lowercased()) }
        let tokens = words(text)
        var positions: [String: [Int]] = [:]
        for (index, token) in tokens.enumerated() { positions[token, default: []].append(index) }
        func holds(_ probe: [String]) -> Bool {
            guard let first = probe.first, let starts = positions[first] else { return false }
            return starts.contains { start in
                start + probe.count <= tokens.count && (1..<probe.count).allSatisfy { tokens[start + $0] == probe[$0] }
            }
        }
        for part in [Part.opener, .subject, .subjectWithFocus, .verb, .object, .objectWithFocus, .connective,
                     .instruction, .exampleIntroduction, .example, .question, .topicSentence, .theme] {
            var used = Set<Int>()
            for (index, phrase) in parts[part.rawValue].enumerated() {
                let probe = words(phrase.head)
                guard phrase.head.count >= 6, holds(probe) else { continue }
                used.insert(index)
                uses[part.rawValue][index] += 1
            }
            decks[part.rawValue].useLast(used, &random)
        }
    }

    // MARK: Focus

    /// The focus of the next sentence: pending keywords first; then, when `required` or
    /// most of the time, the topic and the keywords in turn; otherwise none.
    mutating func nextFocus(required: Bool) -> Focus? {
        if !pending.isEmpty {
            let count = min(pending.count, keywordsPerSentence)
            let terms = Array(pending.prefix(count))
            pending.removeFirst(count)
            var focus = Focus(terms)
            focus.pendingTerms = terms
            return focus
        }
        if !required && random.chance(40) { return nil }
        turn += 1
        let index = turn % (keywords.count + 1)
        return Focus([index == 0 || keywords.isEmpty ? topic : keywords[index - 1]])
    }

    var hasPendingKeywords: Bool { !pending.isEmpty }

    /// Gives back the keywords of a focus whose sentence was not written.
    mutating func restore(_ focus: Focus?) {
        guard let focus, !focus.pendingTerms.isEmpty else { return }
        pending.insert(contentsOf: focus.pendingTerms, at: 0)
    }

    /// Sets how many waiting keywords each sentence takes, for about `sentences` sentences.
    mutating func setKeywordsPerSentence(_ sentences: Int) {
        keywordsPerSentence = max(1, (pending.count + max(1, sentences) - 1) / max(1, sentences))
    }

    /// The topic with every pending keyword, for a text that has room for one sentence.
    mutating func topicAndPendingKeywords() -> Focus {
        defer { pending.removeAll() }
        return Focus([topic] + pending)
    }

    /// Every keyword not yet used, or `nil`.
    mutating func allPendingKeywords() -> Focus? {
        guard !pending.isEmpty else { return nil }
        defer { pending.removeAll() }
        var focus = Focus(pending)
        focus.pendingTerms = pending
        return focus
    }

    /// Adds a keyword to place in the next sentence.
    mutating func addKeyword(_ keyword: String) {
        keywords.append(keyword)
        pending.append(keyword)
    }

    // MARK: Sentences

    /// `[opener] subject verb object [, connective].`, as close to `desired` words as a few
    /// combinations allow, or (`exact`) of exactly `desired` words when the phrases allow it;
    /// `nil` only when every combination tried was written before.
    mutating func statement(focus: Focus?, desired: Int, exact: Bool = false) -> Sentence? {
        var best: (sentence: Sentence, distance: Int, offsets: [Int], subjectPart: Part, objectPart: Part)?
        // An opener on fewer than half the statements: more reads as a tic.
        let offersOpener = random.chance(45)
        for attempt in 0..<2 {
            let focusInSubject = focus.map { !$0.isList } == true && random.chance(35)
            let subjectPart: Part = focusInSubject ? .subjectWithFocus : .subject
            let objectPart: Part = focus != nil && !focusInSubject ? .objectWithFocus : .object
            let subject = peek(subjectPart, attempt), verb = peek(.verb, attempt), object = peek(objectPart, attempt)
            let focusWords = focus?.words ?? 0
            let core = subject.words(filler: focusWords) + verb.words + object.words(filler: focusWords)
            // Options: no opener or one of two, no connective or one of two.
            let openers = offersOpener ? [nil, peek(.opener, 2 * attempt), peek(.opener, 2 * attempt + 1)] : [nil, nil, nil]
            let connectives = [nil, peek(.connective, 2 * attempt), peek(.connective, 2 * attempt + 1)] as [Phrase?]
            for combination in random.permutation(9) {
                let opener = openers[combination / 3], connective = connectives[combination % 3]
                let words = core + (opener?.words ?? 0) + (connective?.words ?? 0)
                let distance = abs(words - desired)
                if let best, best.distance <= distance { continue }
                var text = ""
                text.reserveCapacity(160)
                if let opener {
                    text += opener.head
                    text += " "
                }
                subject.write(focus?.text ?? "", to: &text)
                text += " "
                text += verb.head
                text += " "
                object.write(focus?.text ?? "", to: &text)
                if let connective {
                    text += ", "
                    text += connective.head
                }
                text += voice.exclaims && random.chance(35) ? "!" : "."
                Self.capitalizeFirst(&text)
                guard !written.contains(text) else { continue }
                let offsets = [attempt, attempt, attempt, opener == nil ? -1 : 2 * attempt + combination / 3 - 1,
                               connective == nil ? -1 : 2 * attempt + combination % 3 - 1]
                best = (Sentence(text: text, words: words), distance, offsets, subjectPart, objectPart)
            }
            if best?.distance == 0 { break }
        }
        if exact, best?.distance != 0, let found = exactStatement(focus: focus, words: desired) { return found }
        guard let best else { return nil }
        take(best.subjectPart, best.offsets[0])
        take(.verb, best.offsets[1])
        take(best.objectPart, best.offsets[2])
        if best.offsets[3] >= 0 { take(.opener, best.offsets[3]) }
        if best.offsets[4] >= 0 { take(.connective, best.offsets[4]) }
        written.insert(best.sentence.text)
        return best.sentence
    }

    /// A statement of exactly `words` words, if the phrases allow one: the lengths of its
    /// parts are chosen first, then phrases of those lengths.
    private mutating func exactStatement(focus: Focus?, words: Int) -> Sentence? {
        let focusWords = focus?.words ?? 0
        func lengths(_ part: Part) -> [Int: [Int]] {
            var byLength: [Int: [Int]] = [:]
            for (index, phrase) in parts[part.rawValue].enumerated() {
                byLength[phrase.words(filler: focusWords), default: []].append(index)
            }
            return byLength
        }
        var placements: [(subject: Part, object: Part)] = [(.subject, focus == nil ? .object : .objectWithFocus)]
        if let focus, !focus.isList { placements.append((.subjectWithFocus, .object)) }
        // Lengths in order: a dictionary's own order changes from one instance to the next,
        // and the same seed must give the same text.
        let verbs = lengths(.verb), openers = lengths(.opener), connectives = lengths(.connective)
        var solutions: [(placement: Int, opener: Int, subject: Int, verb: Int, object: Int, connective: Int)] = []
        for (placementIndex, placement) in placements.enumerated() {
            let subjects = lengths(placement.subject), objects = lengths(placement.object)
            for subject in subjects.keys.sorted() {
                for verb in verbs.keys.sorted() {
                    for object in objects.keys.sorted() {
                        let core = subject + verb + object
                        for opener in [0] + openers.keys.sorted() {
                            let connective = words - core - opener
                            if connective == 0 || connectives[connective] != nil {
                                solutions.append((placementIndex, opener, subject, verb, object, connective))
                            }
                        }
                    }
                }
            }
        }
        guard !solutions.isEmpty else { return nil }
        for _ in 0..<8 {
            let solution = solutions[random.below(solutions.count)]
            let placement = placements[solution.placement]
            var chosen: [(part: Part, index: Int)] = []
            /// One of the least used phrases of that length.
            func pick(_ part: Part, _ length: Int) -> Phrase? {
                guard length > 0, let choices = lengths(part)[length] else { return nil }
                let fewest = choices.map { uses[part.rawValue][$0] }.min()!
                let least = choices.filter { uses[part.rawValue][$0] == fewest }
                let index = least[random.below(least.count)]
                chosen.append((part, index))
                return parts[part.rawValue][index]
            }
            guard let subject = pick(placement.subject, solution.subject), let verb = pick(.verb, solution.verb),
                  let object = pick(placement.object, solution.object)
            else { continue }
            let opener = pick(.opener, solution.opener), connective = pick(.connective, solution.connective)
            var text = opener.map { $0.head + " " } ?? ""
            subject.write(focus?.text ?? "", to: &text)
            text += " " + verb.head + " "
            object.write(focus?.text ?? "", to: &text)
            if let connective { text += ", " + connective.head }
            text += voice.exclaims && random.chance(35) ? "!" : "."
            Self.capitalizeFirst(&text)
            guard !written.contains(text) else { continue }
            written.insert(text)
            for (part, index) in chosen { uses[part.rawValue][index] += 1 }
            return Sentence(text: text, words: words)
        }
        return nil
    }

    /// An instruction in the tone ("Start with the results of X, so progress stays visible.").
    mutating func instruction(focus: Focus, desired: Int) -> Sentence? {
        guard available(.instruction) else { return nil }
        var best: (sentence: Sentence, distance: Int, object: Int, connective: Int)?
        for attempt in 0..<3 {
            let instruction = peek(.instruction, 0), object = peek(.objectWithFocus, attempt)
            let core = instruction.words(filler: object.words(filler: focus.words))
            for option in -1..<2 {
                let connective = option < 0 ? nil : peek(.connective, option)
                let words = core + (connective?.words ?? 0)
                let distance = abs(words - desired)
                if let best, best.distance <= distance { continue }
                var text = instruction.text(object.text(focus.text))
                if let connective { text += ", " + connective.head }
                text += voice.exclaims ? "!" : "."
                guard !written.contains(text) else { continue }
                best = (Sentence(text: text, words: words), distance, attempt, option)
            }
        }
        guard let best else { return nil }
        take(.instruction, 0)
        take(.objectWithFocus, best.object)
        if best.connective >= 0 { take(.connective, best.connective) }
        written.insert(best.sentence.text)
        return best.sentence
    }

    /// An example: the tone's introduction and a short story about the focus.
    mutating func example(focus: Focus) -> Sentence? {
        guard available(.example) else { return nil }
        for attempt in 0..<3 {
            let introduction = peek(.exampleIntroduction, 0), story = peek(.example, attempt)
            let text = introduction.head + " " + story.text(focus.text) + (voice.exclaims ? "!" : ".")
            guard !written.contains(text) else { continue }
            take(.exampleIntroduction, 0)
            take(.example, attempt)
            return accept(text, words: introduction.words + story.words(filler: focus.words))
        }
        return nil
    }

    mutating func question(focus: Focus) -> Sentence? { available(.question) ? whole(.question, focus) : nil }
    mutating func introduction(focus: Focus) -> Sentence? { whole(.introduction, focus) }
    mutating func closing(focus: Focus) -> Sentence? { whole(.closing, focus) }
    mutating func callToAction(focus: Focus) -> Sentence? { whole(.callToAction, focus) }

    /// The tone's next opener, for a sentence refine turns to this tone.
    mutating func opener() -> String {
        let phrase = peek(.opener, 0)
        take(.opener, 0)
        return phrase.head
    }

    /// A paragraph's first sentence, naming what it is about.
    mutating func topicSentence(focus: Focus) -> Sentence? {
        guard available(.topicSentence) else { return nil }
        for attempt in 0..<4 {
            let frame = peek(.topicSentence, attempt % 2), theme = peek(.theme, attempt)
            let text = frame.text(theme.text(focus.text))
            guard !written.contains(text) else { continue }
            take(.topicSentence, attempt % 2)
            take(.theme, attempt)
            return accept(text, words: frame.words(filler: theme.words(filler: focus.words)))
        }
        return nil
    }

    /// A sentence of the tone written whole around the focus.
    private mutating func whole(_ part: Part, _ focus: Focus) -> Sentence? {
        guard has(part) else { return nil }
        for attempt in 0..<parts[part.rawValue].count {
            let phrase = peek(part, attempt)
            let text = phrase.text(focus.text)
            guard !written.contains(text) else { continue }
            take(part, attempt)
            return accept(text, words: phrase.words(filler: focus.words))
        }
        return nil
    }

    private mutating func accept(_ text: String, words: Int) -> Sentence {
        var text = text
        Self.capitalizeFirst(&text)
        written.insert(text)
        return Sentence(text: text, words: words)
    }

    /// The title: one of the tone's, around the topic in title case.
    mutating func title(topic: String) -> String {
        let phrase = peek(.title, 0)
        take(.title, 0)
        return String(phrase.text(Self.titleCase(topic)).prefix(200))
    }

    // MARK: Text helpers

    static func capitalizeFirst(_ text: inout String) {
        guard let first = text.first, first.isLowercase else { return }
        text.replaceSubrange(text.startIndex...text.startIndex, with: first.uppercased())
    }

    /// Words a sentence may start with that are lower-case inside one.
    static let commonFirstWords: Set<String> = [
        "a", "an", "the", "this", "that", "these", "those", "how", "why", "what", "when", "where", "which", "who",
        "our", "your", "my", "their", "its", "using", "building", "making", "getting", "choosing", "running",
        "writing", "managing", "planning", "learning", "every", "each", "some", "many", "most", "all", "new",
        "better", "simple", "smart", "modern", "best", "top", "more", "it", "we", "you", "they", "there", "here",
        "if", "for", "in", "on", "with", "to", "from", "and", "but", "so", "as", "at", "by", "of",
    ]

    /// A topic as it reads inside a sentence: trimmed, without closing punctuation, its
    /// first word in lower case when it is a common word ("How to …" → "how to …").
    static func inSentence(_ text: String) -> String {
        var text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        while let last = text.last, ".!?;:,".contains(last) { text.removeLast() }
        guard let firstWord = text.split(separator: " ").first,
              firstWord.first?.isUppercase == true, firstWord.dropFirst().allSatisfy({ !$0.isUppercase }),
              commonFirstWords.contains(firstWord.lowercased())
        else { return text }
        return firstWord.lowercased() + text.dropFirst(firstWord.count)
    }

    /// Small words stay lower case in a title, except first.
    static let titleSmallWords: Set<String> = ["a", "an", "the", "and", "or", "but", "of", "for", "to", "in", "on",
                                               "at", "by", "with", "as", "vs"]

    /// "edge computing and IoT" → "Edge Computing and IoT": words already holding a capital
    /// (IoT, iPhone, 5G) are kept as they are.
    static func titleCase(_ text: String) -> String {
        let words = inSentence(text).split(separator: " ")
        return words.enumerated().map { index, word in
            if word.contains(where: \.isUppercase) || word.first?.isLetter != true { return String(word) }
            if index > 0 && titleSmallWords.contains(String(word)) { return String(word) }
            return word.prefix(1).uppercased() + word.dropFirst()
        }.joined(separator: " ")
    }
}
