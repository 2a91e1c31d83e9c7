/// A piece of a sentence with at most one slot (`{t}`), split around it, its words counted
/// once so that a sentence's length is known before it is written.
struct Phrase: Sendable {
    static let slot = "{t}"

    let head: String
    let tail: String
    let hasSlot: Bool
    /// Words outside the slot; a filled slot adds its filler's words.
    let words: Int

    init(_ text: String) {
        if let range = text.range(of: Self.slot) {
            head = String(text[..<range.lowerBound])
            tail = String(text[range.upperBound...])
            hasSlot = true
            // The filler's last word carries whatever punctuation follows the slot.
            words = Self.wordCount(head + "x" + tail) - 1
        } else {
            head = text
            tail = ""
            hasSlot = false
            words = Self.wordCount(text)
        }
    }

    func words(filler: Int) -> Int { hasSlot ? words + filler : words }

    func text(_ filler: String) -> String { hasSlot ? head + filler + tail : head }

    func write(_ filler: String, to out: inout String) {
        out += head
        if hasSlot {
            out += filler
            out += tail
        }
    }

    /// Whitespace, with a fast path for ASCII.
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }

    /// Words as the API counts them: runs of non-whitespace.
    static func wordCount(_ text: some StringProtocol) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if isWhitespace(scalar) {
                inWord = false
            } else if !inWord {
                inWord = true
                count += 1
            }
        }
        return count
    }
}

extension Array where Element == Phrase {
    init(_ texts: [String]) { self = texts.map(Phrase.init) }
}
