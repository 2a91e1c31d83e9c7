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
        // Blocks are separated by blank lines; Foundation's string functions are avoided
        // here, as they cost more than everything else refine does.
        var texts: [String] = []
        var lines: [Substring] = []
        for line in body.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map({ Substring($0) }) {
            let line = line.last == "\r" ? line.dropLast() : line
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !lines.isEmpty { texts.append(lines.joined(separator: "\n")) }
                lines.removeAll()
            } else {
                lines.append(line)
            }
        }
        if !lines.isEmpty { texts.append(lines.joined(separator: "\n")) }
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
        let lines = text.utf8.split(separator: UInt8(ascii: "\n")).map { Self.trimmed(Substring($0)) }
        let words = Phrase.wordCount(text)
        if text.hasPrefix("#"), text.split(whereSeparator: \.isWhitespace).allSatisfy({ $0.hasPrefix("#") && $0.count > 1 }) {
            return .hashtags
        }
        if first, lines.count == 1, words <= 5, lines[0].hasSuffix(",") { return .greeting }
        if last, !first, let line = lines.first, Phrase.wordCount(line) <= 4, line.hasSuffix(",") { return .signOff }
        if lines.contains(where: { $0.hasPrefix("#") || $0.hasPrefix("```") || isListItem($0) }) { return .verbatim }
        if lines.count == 1, words <= 12, let end = lines[0].last, !".!?\"”)".contains(end) { return .verbatim }
        return .prose
    }

    /// Without the whitespace around it.
    static func trimmed(_ text: Substring) -> String {
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// "- item", "* item", "• item", "1. item", "2) item".
    static func isListItem(_ line: some StringProtocol) -> Bool {
        var rest = Substring(line)
        if let first = rest.first, "-*•".contains(first) {
            rest = rest.dropFirst()
        } else {
            let digits = rest.prefix(while: \.isNumber)
            guard !digits.isEmpty else { return false }
            rest = rest.dropFirst(digits.count)
            guard let mark = rest.first, mark == "." || mark == ")" else { return false }
            rest = rest.dropFirst()
        }
        return rest.first?.isWhitespace == true
    }

    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "no", "fig",
        "approx", "dept", "est", "u.s", "u.k",
    ]

    /// Sentences end at `.`, `!` or `?` (and closing quotes or brackets) before a space and
    /// a capital, a digit or a quote; not after an abbreviation or an initial. Works on
    /// UTF-8 bytes: a 5,000-word text splits in well under a millisecond.
    static func sentences(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var sentences: [String] = []
        func isEnd(_ byte: UInt8) -> Bool { byte == 0x2E || byte == 0x21 || byte == 0x3F }
        /// The length of a closing quote or bracket at `index` (`"`, `'`, `)`, `]`, `”`, `’`), or 0.
        func closing(at index: Int) -> Int {
            switch bytes[index] {
            case 0x22, 0x27, 0x29, 0x5D: return 1
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80
                && (bytes[index + 2] == 0x9D || bytes[index + 2] == 0x99): return 3
            default: return 0
            }
        }
        /// Whether a sentence may start at `index`: a capital, a digit, an opening quote or bracket.
        func opens(at index: Int) -> Bool {
            let byte = bytes[index]
            if byte < 0x80 { return (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x22 || byte == 0x27 || byte == 0x28 }
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            guard let scalar = String(decoding: bytes[index..<end], as: UTF8.self).unicodeScalars.first else { return false }
            return scalar.properties.isUppercase || scalar == "“" || scalar == "‘"
        }
        func append(_ from: Int, _ to: Int) {
            var from = from, to = to
            while from < to, isSpace(bytes[from]) { from += 1 }
            while to > from, isSpace(bytes[to - 1]) { to -= 1 }
            if from < to { sentences.append(String(decoding: bytes[from..<to], as: UTF8.self)) }
        }
        /// The word before `index`, lower-cased, without opening quotes or brackets.
        func word(before index: Int, from start: Int) -> String {
            var first = index
            while first > start, !isSpace(bytes[first - 1]) { first -= 1 }
            while first < index, bytes[first] == 0x22 || bytes[first] == 0x27 || bytes[first] == 0x28 { first += 1 }
            return String(decoding: bytes[first..<index], as: UTF8.self).lowercased()
        }
        var start = 0
        var index = 0
        while index < bytes.count {
            guard isEnd(bytes[index]) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < bytes.count {
                if isEnd(bytes[end]) {
                    end += 1
                } else if case let length = closing(at: end), length > 0 {
                    end += length
                } else {
                    break
                }
            }
            var next = end
            while next < bytes.count, isSpace(bytes[next]) { next += 1 }
            var startsSentence = next == bytes.count || (next > end && opens(at: next))
            if startsSentence && bytes[index] == 0x2E {
                let before = word(before: index, from: start)
                if abbreviations.contains(before) || (before.count == 1 && before.first!.isLetter) { startsSentence = false }
            }
            if startsSentence {
                append(start, end)
                start = next
            }
            index = end
        }
        append(start, bytes.count)
        return sentences
    }
}
