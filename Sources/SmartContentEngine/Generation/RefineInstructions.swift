import Foundation
import SmartContentDomain

/// What the offline refine understands in an editor's instructions: a length ("about 80
/// words", "shorter", "half as long", "longer"), a tone ("more casual", "formal"), a call
/// to action, an example, keywords to add or remove ("add keyword X", "remove Y") and a
/// title ("title: …", "fix the title"). Instructions are split into clauses at commas,
/// semicolons, sentence ends and "and"/"then"; each clause it does not understand is kept,
/// word for word, to be reported as not applied.
struct RefineInstructions: Equatable {
    enum Length: Equatable {
        /// About this many words.
        case words(Int)
        /// This times the current length.
        case scale(Double)
    }

    var length: Length?
    /// The clause that asked for the length, to name if it cannot be reached.
    var lengthClause = ""
    var tone: Tone?
    var callToAction = false
    var example = false
    var addKeywords: [String] = []
    var removeKeywords: [String] = []
    var title: String?
    var fixTitle = false
    /// Clauses not understood, as written.
    var notUnderstood: [String] = []

    init(_ text: String) {
        var rest = text.replacingOccurrences(of: "\r\n", with: "\n")
        if let (title, range) = Self.titleInstruction(in: rest) {
            self.title = title
            rest.removeSubrange(range)
        }
        var listContinues: ((inout RefineInstructions, String) -> Void)?
        for clause in Self.clauses(rest) {
            let lower = clause.lowercased()
            let words = Self.words(lower)
            if words.isEmpty || words.allSatisfy(Self.filler.contains) { continue }
            if let continuing = listContinues, words.count <= 4, clause.count <= 50, Self.understands(lower) == false {
                continuing(&self, Self.unquoted(clause))
                continue
            }
            listContinues = nil
            if Self.isCallToAction(lower) {
                callToAction = true
            } else if Self.isExample(words) {
                example = true
            } else if let length = Self.length(lower, words) {
                self.length = length
                lengthClause = clause
            } else if let tone = Self.tone(words) {
                self.tone = tone
            } else if let (item, plural) = Self.keywordList(clause, verbs: Self.addVerbs, requireNoun: true) {
                addKeywords.append(item)
                // "add keywords a, b and c": the list goes on.
                if plural { listContinues = { $0.addKeywords.append($1) } }
            } else if let (item, plural) = Self.keywordList(clause, verbs: Self.removeVerbs, requireNoun: false) {
                removeKeywords.append(item)
                if plural { listContinues = { $0.removeKeywords.append($1) } }
            } else if words.contains("title") || words.contains("headline") {
                if ["fix", "improve", "tidy", "clean", "capitalize", "capitalise", "case"].contains(where: words.contains) {
                    fixTitle = true
                } else {
                    notUnderstood.append(clause)
                }
            } else {
                notUnderstood.append(clause)
            }
        }
    }

    // MARK: Clauses

    /// Words that carry no instruction on their own.
    static let filler: Set<String> = [
        "please", "thanks", "thank", "you", "make", "it", "also", "and", "then", "can", "could", "would", "a", "the",
        "bit", "little", "just", "now", "ok", "okay", "pls", "kindly",
    ]

    /// Splits at newlines, semicolons, sentence ends, commas and the words "and", "then",
    /// "also" and "plus", except inside quotes.
    static func clauses(_ text: String) -> [String] {
        var clauses: [String] = []
        var current = ""
        var quote: Character?
        let characters = Array(text)
        var index = 0
        func flush() {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines.union(.init(charactersIn: ".!?")))
            if !trimmed.isEmpty { clauses.append(trimmed) }
            current = ""
        }
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                current.append(character)
                if character == Self.closing(open) { quote = nil }
                index += 1
                continue
            }
            if "\"“'‘".contains(character), current.last.map({ $0.isWhitespace || $0 == ":" }) ?? true {
                quote = character
                current.append(character)
                index += 1
                continue
            }
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            if character == "\n" || character == ";" || character == "," || (".!?".contains(character) && next.isWhitespace) {
                flush()
                index += 1
                continue
            }
            if character == " " {
                let ahead = String(characters[(index + 1)...].prefix(6)).lowercased()
                if let joint = ["and ", "then ", "also ", "plus "].first(where: { ahead.hasPrefix($0) }) {
                    flush()
                    index += 1 + joint.count
                    continue
                }
            }
            current.append(character)
            index += 1
        }
        flush()
        return clauses
    }

    static func closing(_ quote: Character) -> Character {
        switch quote {
        case "“": "”"
        case "‘": "’"
        default: quote
        }
    }

    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" && $0 != "'" && $0 != "%" }).map(String.init)
    }

    static func unquoted(_ text: String) -> String {
        var text = text.trimmingCharacters(in: .whitespaces)
        if let first = text.first, "\"“'‘".contains(first), text.last == closing(first), text.count >= 2 {
            text = String(text.dropFirst().dropLast())
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Whether a clause is an instruction of its own (so it does not continue a keyword list).
    static func understands(_ lower: String) -> Bool {
        let words = words(lower)
        return isCallToAction(lower) || isExample(words) || length(lower, words) != nil || tone(words) != nil
            || keywordList(lower, verbs: addVerbs, requireNoun: true) != nil
            || keywordList(lower, verbs: removeVerbs, requireNoun: false) != nil
    }

    // MARK: Title

    /// `title: X`, `title to X`, `change the title to X`, `rename it to X`, `retitle it X`;
    /// the value runs to the end of its line or to a semicolon, unless quoted.
    static func titleInstruction(in text: String) -> (String, Range<String.Index>)? {
        let lower = text.lowercased()
        let openings = ["change the title to ", "set the title to ", "make the title ", "change title to ",
                        "set title to ", "new title: ", "retitle it to ", "retitle it as ", "retitle to ", "retitle it ",
                        "rename it to ", "rename to ", "title: ", "title:", "title to ", "title = "]
        for opening in openings {
            guard let found = lower.range(of: opening) else { continue }
            // The same offsets in the original text (lower-casing keeps these ASCII phrases' length).
            let start = text.index(text.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: found.lowerBound))
            let valueStart = text.index(start, offsetBy: opening.count)
            var valueEnd = text[valueStart...].firstIndex(where: { $0 == "\n" || $0 == ";" }) ?? text.endIndex
            let trimmedStart = text[valueStart..<valueEnd].firstIndex(where: { !$0.isWhitespace }) ?? valueEnd
            if trimmedStart < valueEnd, "\"“'‘".contains(text[trimmedStart]) {
                let close = closing(text[trimmedStart])
                if let end = text[text.index(after: trimmedStart)...].firstIndex(of: close) { valueEnd = text.index(after: end) }
            } else {
                // Unquoted, the title also ends at a sentence's end, or at a comma that
                // another instruction follows ("title: Spring, and make it shorter").
                var index = valueStart
                while index < valueEnd {
                    let next = text.index(after: index)
                    if ".!?".contains(text[index]), next == valueEnd || text[next].isWhitespace {
                        valueEnd = index
                        break
                    }
                    if text[index] == ",", understands(clauses(String(text[next..<valueEnd])).first?.lowercased() ?? "") {
                        valueEnd = index
                        break
                    }
                    index = next
                }
            }
            let title = unquoted(String(text[valueStart..<valueEnd]).trimmingCharacters(in: .whitespaces))
            guard !title.isEmpty else { continue }
            return (title, start..<valueEnd)
        }
        return nil
    }

    // MARK: Call to action, example

    static func isCallToAction(_ lower: String) -> Bool {
        ["call to action", "call-to-action", "calls to action", "ask readers to", "ask the reader to", "ask them to"]
            .contains(where: lower.contains) || words(lower).contains("cta")
    }

    static func isExample(_ words: [String]) -> Bool {
        (words.contains("example") || words.contains("examples"))
            && ["add", "include", "give", "with", "use", "show", "an", "one"].contains(where: words.contains)
    }

    // MARK: Length

    static func length(_ lower: String, _ words: [String]) -> Length? {
        // "about 80 words", "an 80-word version", "under 100 words", "80 to 100 words".
        let count = #/(\d[\d,]*)(?:\s*(?:-|–|to)\s*(\d[\d,]*))?\s*-?\s*words?\b/#
        if let match = lower.firstMatch(of: count), let first = Int(match.1.filter(\.isNumber)) {
            let last = match.2.flatMap { Int($0.filter(\.isNumber)) } ?? first
            var target = Double(first + last) / 2
            if ["under", "below", "fewer", "less", "most", "max", "maximum", "within"].contains(where: words.contains) {
                target *= 0.92
            } else if ["least", "over", "min", "minimum"].contains(where: words.contains) {
                target *= 1.08
            }
            return first > 0 ? .words(max(1, Int(target.rounded()))) : nil
        }
        if let percent = words.first(where: { $0.hasSuffix("%") }).flatMap({ Double($0.dropLast()) }), percent > 0 {
            if ["shorter", "less", "fewer", "shorten", "cut", "trim", "reduce", "smaller"].contains(where: words.contains) {
                return .scale(max(0.05, 1 - percent / 100))
            }
            if ["longer", "more", "lengthen", "expand", "extend", "bigger"].contains(where: words.contains) {
                return .scale(1 + percent / 100)
            }
        }
        let phrases: [(String, Double)] = [
            ("half as long", 0.5), ("half the length", 0.5), ("half its length", 0.5), ("by half", 0.5),
            ("in half", 0.5), ("halve", 0.5), ("half the size", 0.5), ("a third shorter", 0.67), ("by a third", 0.67),
            ("a quarter shorter", 0.75), ("by a quarter", 0.75), ("twice as long", 2), ("double the length", 2),
            ("double it", 2), ("double its length", 2), ("three times as long", 3),
            ("much shorter", 0.5), ("a lot shorter", 0.5), ("way shorter", 0.5), ("far shorter", 0.5),
            ("a bit shorter", 0.85), ("slightly shorter", 0.85), ("a little shorter", 0.85), ("a touch shorter", 0.85),
            ("much longer", 1.75), ("a lot longer", 1.75), ("way longer", 1.75), ("far longer", 1.75),
            ("a bit longer", 1.2), ("slightly longer", 1.2), ("a little longer", 1.2), ("a touch longer", 1.2),
            ("less wordy", 0.7), ("more concise", 0.7), ("cut it down", 0.7), ("cut down", 0.7), ("cut it", 0.7),
            ("reduce the length", 0.7), ("reduce its length", 0.7),
            ("more detail", 1.5), ("go deeper", 1.5), ("more depth", 1.5), ("flesh it out", 1.5), ("flesh out", 1.5),
        ]
        if let (_, scale) = phrases.first(where: { lower.contains($0.0) }) { return .scale(scale) }
        let single: [(Set<String>, Double)] = [
            (["shorter", "shorten", "concise", "condense", "trim", "briefer", "brief", "summarize", "summarise",
              "tighten", "tighter"], 0.7),
            (["longer", "lengthen", "expand", "elaborate", "extend", "detailed"], 1.5),
        ]
        for (set, scale) in single where words.contains(where: set.contains) { return .scale(scale) }
        return nil
    }

    // MARK: Tone

    static let toneWords: [String: Tone] = [
        "professional": .professional, "businesslike": .professional, "serious": .professional,
        "casual": .casual, "relaxed": .casual, "conversational": .casual, "informal": .casual, "laid-back": .casual,
        "chatty": .casual, "friendly": .friendly, "friendlier": .friendly, "warm": .friendly, "warmer": .friendly,
        "approachable": .friendly, "kind": .friendly, "kinder": .friendly, "formal": .formal, "academic": .formal,
        "humorous": .humorous, "funny": .humorous, "funnier": .humorous, "witty": .humorous, "playful": .humorous,
        "light-hearted": .humorous, "lighthearted": .humorous, "humour": .humorous, "humor": .humorous,
        "persuasive": .persuasive, "convincing": .persuasive, "compelling": .persuasive, "salesy": .persuasive,
        "punchy": .persuasive, "punchier": .persuasive, "informative": .informative, "factual": .informative,
        "educational": .informative, "neutral": .informative, "objective": .informative,
        "enthusiastic": .enthusiastic, "excited": .enthusiastic, "exciting": .enthusiastic,
        "energetic": .enthusiastic, "upbeat": .enthusiastic,
    ]

    /// Words a tone instruction may hold besides the tone.
    static let toneFiller: Set<String> = [
        "make", "it", "more", "a", "an", "bit", "little", "the", "tone", "sound", "sounding", "be", "in", "use",
        "with", "voice", "style", "much", "way", "slightly", "somewhat", "lot", "please", "write", "rewrite", "rather",
        "to", "switch", "change", "into", "register", "keep", "less", "very", "feel", "and", "too", "of", "so",
    ]

    /// A clause that only asks for a tone: "more casual", "in a formal tone", "less formal".
    static func tone(_ words: [String]) -> Tone? {
        let meaningful = words.filter { !toneFiller.contains($0) }
        guard meaningful.count == 1, let tone = toneWords[meaningful[0]] else { return nil }
        if words.contains("less") {
            return switch tone {
            case .formal, .professional: .casual
            case .casual, .humorous, .enthusiastic: .professional
            default: nil
            }
        }
        return tone
    }

    // MARK: Keywords

    static let addVerbs = ["add", "include", "mention", "insert", "use", "work in", "weave in", "put in"]
    static let removeVerbs = ["remove", "drop", "delete", "exclude", "omit", "strip", "take out", "get rid of",
                              "don't mention", "do not mention", "no more", "without", "avoid"]
    static let keywordNouns = ["keywords", "keyword", "terms", "term", "phrases", "phrase", "hashtags", "hashtag",
                               "mentions of", "mention of", "references to", "reference to", "the word", "words", "word"]

    /// "add keyword X", "add keywords X", "mention X", "remove Y", "drop the keyword Y":
    /// the item, quotes removed, and whether the noun was plural (a list follows). Adding
    /// needs the noun ("keyword") or quotes, except with "mention": "add an example" is not
    /// a keyword.
    static func keywordList(_ clause: String, verbs: [String], requireNoun: Bool) -> (String, plural: Bool)? {
        let lower = clause.lowercased()
        guard let verb = verbs.first(where: { lower.hasPrefix($0 + " ") }) else { return nil }
        var rest = String(clause.dropFirst(verb.count + 1)).trimmingCharacters(in: .whitespaces)
        for article in ["the ", "a ", "an ", "any ", "all ", "new "] where rest.lowercased().hasPrefix(article) {
            rest = String(rest.dropFirst(article.count))
        }
        var named = false, plural = false
        if let noun = keywordNouns.first(where: { rest.lowercased().hasPrefix($0 + " ") || rest.lowercased().hasPrefix($0 + ":") }) {
            rest = String(rest.dropFirst(noun.count + 1)).trimmingCharacters(in: .whitespaces)
            named = true
            plural = noun.hasSuffix("s")
        }
        let quoted = rest.first.map { "\"“'‘".contains($0) } ?? false
        if requireNoun && !named && !quoted && verb != "mention" { return nil }
        let item = unquoted(rest)
        guard !item.isEmpty, item.count <= 100 else { return nil }
        return (item, plural)
    }
}
