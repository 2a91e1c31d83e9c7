/// The text a network that posts text under a character limit receives for a content,
/// and how such networks count characters.
///
/// The rule: the title, a blank line, then the body. Over the limit, the body is cut at
/// the last word boundary that leaves room for "…"; when not one word of it fits, the
/// title is posted alone. When the title alone is over the limit, nothing is posted: a
/// cut title would say something else, so scheduling refuses it (``PostTooLong``).
public enum PostText {
    public static let ellipsis = "…"
    /// What a link counts for, whatever its length (Mastodon's `characters_reserved_per_url`).
    public static let charactersPerLink = 23

    public static func compose(title: String, body: String, limit: Int) throws(PostTooLong) -> String {
        let title = title.trimmingWhitespace
        let body = body.trimmingWhitespace
        let titleCount = count(title)
        guard titleCount <= limit else {
            throw PostTooLong(limit: limit, characters: titleCount,
                              reason: "its title alone is \(titleCount) characters, over the limit of \(limit)")
        }
        guard !body.isEmpty else { return title }
        let head = title.isEmpty ? "" : title + "\n\n"
        let whole = head + body
        if count(whole) <= limit { return whole }
        // Word boundaries: the ends of the words, as offsets in the body. The count grows
        // with each word, so the longest prefix that fits is found by bisection.
        var ends: [String.Index] = []
        var index = body.startIndex
        while index < body.endIndex {
            if body[index].isWhitespace, index > body.startIndex, !body[body.index(before: index)].isWhitespace {
                ends.append(index)
            }
            index = body.index(after: index)
        }
        func cut(_ end: String.Index) -> String {
            var words = body[..<end]
            while let last = words.last, last.isWhitespace || ",;:-–—".contains(last) { words.removeLast() }
            return head + words + ellipsis
        }
        var low = 0, high = ends.count - 1, best: String?
        while low <= high {
            let middle = (low + high) / 2
            let candidate = cut(ends[middle])
            if count(candidate) <= limit {
                best = candidate
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return best ?? title
    }

    /// Characters as Mastodon counts them: grapheme clusters (what a reader sees as one
    /// character, an emoji with its modifiers included), each http(s) link as
    /// ``charactersPerLink`` whatever its length. Punctuation after a link is not part of it.
    public static func count(_ text: String) -> Int {
        var total = text.count
        for token in text.split(whereSeparator: \.isWhitespace) {
            let lower = token.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { continue }
            var link = token[...]
            while let last = link.last, ".,:;!?'\")]".contains(last) { link.removeLast() }
            guard link.count > (lower.hasPrefix("https://") ? 8 : 7) else { continue }
            total += charactersPerLink - link.count
        }
        return total
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = self[...]
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
