import Foundation

/// A text as refine edits it: paragraphs of sentences, and the blocks it keeps whole (a
/// greeting, a sign-off, hashtags, headings, lists). A paragraph nobody touched is written
/// back exactly as it came.
struct Piece {
    struct Sentence {
        var text: String
        var words: Int
        /// Written by this refinement (a call to action, a keyword's sentence): kept when
        /// shortening.
        var isNew = false
    }

    enum Role: Equatable {
        case greeting, signOff, hashtags
        /// A heading, a list, anything that is not sentences: kept as it is.
        case verbatim
        case prose
    }

    struct Block {
        var role: Role
        var sentences: [Sentence]
        var original: String
        var edited = false

        var text: String { edited ? sentences.map(\.text).joined(separator: " ") : original }
        var words: Int { role == .prose && edited ? sentences.reduce(0) { $0 + $1.words } : Phrase.wordCount(original) }
    }

    var blocks: [Block]

    /// Whether any block was changed.
    var edited: Bool { blocks.contains(where: \.edited) }

    init(_ body: String) {
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n")
        let texts = normalized.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .newlines) }
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        blocks = texts.enumerated().map { index, text in
            let role = Self.role(of: text, first: index == 0, last: index >= texts.count - 2)
            let sentences = role == .prose
                ? Self.sentences(text.split(separator: "\n").joined(separator: " ")).map { Sentence(text: $0, words: Phrase.wordCount($0)) }
                : []
            return Block(role: role, sentences: sentences, original: text)
        }
    }

    var text: String { blocks.filter { $0.role != .prose || !$0.sentences.isEmpty }.map(\.text).joined(separator: "\n\n") }
    var words: Int { blocks.filter { $0.role != .prose || !$0.sentences.isEmpty }.reduce(0) { $0 + $1.words } }

    var proseIndices: [Int] { blocks.indices.filter { blocks[$0].role == .prose && !blocks[$0].sentences.isEmpty } }

    /// Every sentence's place, in reading order.
    var sentencePlaces: [(block: Int, sentence: Int)] {
        proseIndices.flatMap { block in blocks[block].sentences.indices.map { (block, $0) } }
    }

    subscript(place: (block: Int, sentence: Int)) -> Sentence {
        get { blocks[place.block].sentences[place.sentence] }
        set {
            blocks[place.block].sentences[place.sentence] = newValue
            blocks[place.block].edited = true
        }
    }

    mutating func remove(_ places: [(block: Int, sentence: Int)]) {
        for place in places.sorted(by: { ($0.block, $0.sentence) > ($1.block, $1.sentence) }) {
            blocks[place.block].sentences.remove(at: place.sentence)
            blocks[place.block].edited = true
        }
    }

    mutating func insert(_ sentence: Sentence, inBlock block: Int, at index: Int) {
        blocks[block].sentences.insert(sentence, at: min(index, blocks[block].sentences.count))
        blocks[block].edited = true
    }

    /// Adds a paragraph of new sentences before block `index`.
    mutating func insertParagraph(_ sentences: [Sentence], before index: Int) {
        blocks.insert(Block(role: .prose, sentences: sentences, original: "", edited: true), at: index)
    }

    /// Takes the keyword's hashtag out of the hashtag lines; whether there was one.
    mutating func removeHashtag(_ keyword: String) -> Bool {
        guard let tag = Composer.hashtags([keyword])?.lowercased() else { return false }
        var removed = false
        for index in blocks.indices.reversed() where blocks[index].role == .hashtags {
            let tokens = blocks[index].original.split(whereSeparator: \.isWhitespace)
            let kept = tokens.filter { $0.lowercased() != tag }
            guard kept.count < tokens.count else { continue }
            removed = true
            if kept.isEmpty {
                blocks.remove(at: index)
            } else {
                blocks[index].original = kept.joined(separator: " ")
            }
        }
        return removed
    }

    /// The block a new closing sentence belongs to: the last paragraph of prose.
    var lastProse: Int? { proseIndices.last }

    // MARK: Reading

    /// A greeting opens the text ("Hi there,"), a sign-off ends it ("Best regards,\nAnn"),
    /// hashtags are a line of `#words`; headings and lists are kept whole.
    static func role(of text: String, first: Bool, last: Bool) -> Role {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let tokens = text.split(whereSeparator: \.isWhitespace)
        if tokens.allSatisfy({ $0.hasPrefix("#") && $0.count > 1 }) { return .hashtags }
        if first, lines.count == 1, tokens.count <= 5, lines[0].hasSuffix(",") { return .greeting }
        if last, !first, let line = lines.first, Phrase.wordCount(line) <= 4, line.hasSuffix(",") { return .signOff }
        let listItem = #/^([-*•]|\d+[.)])\s/#
        if lines.contains(where: { $0.hasPrefix("#") || $0.hasPrefix("```") || $0.firstMatch(of: listItem) != nil }) {
            return .verbatim
        }
        if lines.count == 1, tokens.count <= 12, let end = lines[0].last, !".!?\"”)".contains(end) { return .verbatim }
        return .prose
    }

    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "no", "fig",
        "approx", "dept", "est", "u.s", "u.k",
    ]

    /// Sentences end at `.`, `!` or `?` (and closing quotes or brackets) before a space and
    /// a capital, a digit or a quote; not after an abbreviation or an initial.
    static func sentences(_ text: String) -> [String] {
        let characters = Array(text)
        var sentences: [String] = []
        var start = 0
        var index = 0
        while index < characters.count {
            guard ".!?".contains(characters[index]) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < characters.count, ".!?\"”’')]".contains(characters[end]) { end += 1 }
            var next = end
            while next < characters.count, characters[next].isWhitespace { next += 1 }
            let atEnd = next == characters.count
            let startsSentence = atEnd || (next > end && (characters[next].isUppercase || characters[next].isNumber
                || "\"“‘'(".contains(characters[next])))
            if startsSentence && characters[index] == "." {
                let word = String(characters[start..<index]).split(whereSeparator: \.isWhitespace).last.map { $0.lowercased() } ?? ""
                let bare = word.trimmingCharacters(in: CharacterSet(charactersIn: "(\"“"))
                if abbreviations.contains(bare) || (bare.count == 1 && bare.first!.isLetter) {
                    index = end
                    continue
                }
            }
            if startsSentence {
                let sentence = String(characters[start..<end]).trimmingCharacters(in: .whitespaces)
                if !sentence.isEmpty { sentences.append(sentence) }
                start = next
            }
            index = end
        }
        let rest = String(characters[min(start, characters.count)...]).trimmingCharacters(in: .whitespaces)
        if !rest.isEmpty { sentences.append(rest) }
        return sentences
    }
}
