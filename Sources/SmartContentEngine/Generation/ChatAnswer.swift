import Foundation
import SmartContentDomain

/// A model's answer read as content: the first line is the title, the rest the body, as
/// ``ChatPrompt`` asks. Models stray from that, so it also reads a JSON object with `title`
/// and `body`, a title marked as a Markdown heading, in bold or after "Title:", an answer
/// wrapped in a code fence, and drops the `<think>` block of reasoning models.
struct ChatAnswer: Hashable, Sendable {
    var title: String
    var body: String

    var wordCount: Int { body.split(whereSeparator: \.isWhitespace).count }

    /// `nil` when the text holds no title and body.
    init?(parsing answer: String) {
        var text = answer
        while let open = text.range(of: "<think>"), let close = text.range(of: "</think>", range: open.upperBound..<text.endIndex) {
            text.removeSubrange(open.lowerBound..<close.upperBound)
        }
        text = Self.unfenced(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if text.hasPrefix("{") {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
                  let title = object["title"] as? String,
                  let body = (object["body"] ?? object["content"] ?? object["text"]) as? String
            else { return nil }
            self.init(title: title, body: body)
            return
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
        let title = lines[first]
        lines.removeFirst(first + 1)
        // A "Body:" label on a line of its own is the format's, not the text's.
        if let label = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
           ["body:", "**body:**"].contains(lines[label].trimmingCharacters(in: .whitespaces).lowercased()) {
            lines.removeFirst(label + 1)
        }
        self.init(title: title, body: lines.joined(separator: "\n"))
    }

    private init?(title: String, body: String) {
        let title = Self.cleaned(title: title)
        let body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, !body.isEmpty else { return nil }
        self.title = title
        self.body = body
    }

    /// A title without Markdown or label, on one line, cut at a word to what a title holds.
    static func cleaned(title raw: String) -> String {
        var title = raw.split(whereSeparator: \.isNewline).joined(separator: " ")
            .unicodeScalars.filter { $0.properties.generalCategory != .control }.map(String.init).joined()
            .trimmingCharacters(in: .whitespaces)
        while title.hasPrefix("#") { title.removeFirst() }
        title = title.trimmingCharacters(in: .whitespaces)
        for label in ["title:", "subject:", "headline:"] where title.lowercased().hasPrefix(label) {
            title = String(title.dropFirst(label.count)).trimmingCharacters(in: .whitespaces)
        }
        for mark in ["**", "__", "*", "\"", "“"] where title.hasPrefix(mark) {
            let close = mark == "“" ? "”" : mark
            if title.hasSuffix(close), title.count > mark.count + close.count {
                title = String(title.dropFirst(mark.count).dropLast(close.count)).trimmingCharacters(in: .whitespaces)
            }
        }
        let limit = Validation.titleLength.upperBound
        guard title.count > limit else { return title }
        let cut = title.prefix(limit)
        return String(cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut).trimmingCharacters(in: .whitespaces)
    }

    /// The text inside a code fence that wraps the whole answer.
    static func unfenced(_ text: String) -> String {
        guard text.hasPrefix("```"), text.hasSuffix("```"), text.count > 6 else { return text }
        var inner = text.dropFirst(3).dropLast(3)
        // The fence's language tag ("json", "markdown") runs to the end of the first line.
        if let newline = inner.firstIndex(of: "\n"), !inner[..<newline].contains(" ") { inner = inner[inner.index(after: newline)...] }
        return inner.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
