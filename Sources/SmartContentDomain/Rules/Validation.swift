import Foundation

/// The input rules of the platform, shared by every command.
public enum Validation {
    public static let titleLength = 1...200
    public static let bodyLength = 1...100_000
    public static let maxKeywords = 20
    public static let keywordLength = 1...50
    /// The most words a generator is asked for, whatever the content type.
    public static let maxGenerationWords = 5000
    public static let topicLength = 1...500
    public static let nameLength = 1...100
    public static let maxEmailLength = 254
    public static let minPasswordLength = 12
    public static let maxPasswordLength = 128
    public static let maxChannelsPerSchedule = 20
    public static let bioLength = 0...2000

    public static func title(_ title: String, field: String = "title") throws(DomainError) -> String {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard titleLength.contains(trimmed.count) else {
            throw .invalid(field, "title must be \(titleLength.lowerBound) to \(titleLength.upperBound) characters")
        }
        // A title is one line of text: control characters (NUL, escapes, line breaks) are
        // never meant, and break whatever displays it.
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(field, "title must not contain control characters")
        }
        return trimmed
    }

    public static func body(_ body: String, field: String = "body") throws(DomainError) {
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .invalid(field, "body must not be empty") }
        guard body.count <= bodyLength.upperBound else {
            throw .invalid(field, "body must be at most \(bodyLength.upperBound) characters")
        }
    }

    public static func keywords(_ keywords: [String], field: String = "keywords") throws(DomainError) -> [String] {
        guard keywords.count <= maxKeywords else { throw .invalid(field, "at most \(maxKeywords) keywords") }
        var seen = Set<String>()
        var result: [String] = []
        for keyword in keywords {
            let trimmed = keyword.trimmingCharacters(in: .whitespacesAndNewlines)
            guard keywordLength.contains(trimmed.count) else {
                throw .invalid(field, "each keyword must be \(keywordLength.lowerBound) to \(keywordLength.upperBound) characters")
            }
            if seen.insert(trimmed.lowercased()).inserted { result.append(trimmed) }
        }
        return result
    }

    /// The lengths, in words, a generator may be asked for: from a social post or an ad of
    /// 10 words, an email or a product description of 50, other content of 100, to 5000.
    public static func generationWords(for contentType: ContentType) -> ClosedRange<Int> {
        switch contentType {
        case .socialMedia, .adCopy: 10...maxGenerationWords
        case .email, .productDescription: 50...maxGenerationWords
        case .blogPost, .article, .newsletter: 100...maxGenerationWords
        }
    }

    public static func generationLength(_ words: Int, for contentType: ContentType, field: String = "length")
        throws(DomainError) {
        let range = generationWords(for: contentType)
        guard range.contains(words) else {
            throw DomainError(.invalidParameters,
                              "length for \(contentType.rawValue) must be \(range.lowerBound) to \(range.upperBound) words",
                              details: ["field": field, "minimum": String(range.lowerBound),
                                        "maximum": String(range.upperBound)])
        }
    }

    public static func topic(_ topic: String, field: String = "topic") throws(DomainError) -> String {
        let trimmed = topic.trimmingCharacters(in: .whitespacesAndNewlines)
        guard topicLength.contains(trimmed.count) else {
            throw .invalid(field, "topic must be \(topicLength.lowerBound) to \(topicLength.upperBound) characters")
        }
        return trimmed
    }

    public static func name(_ name: String, field: String = "name") throws(DomainError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard nameLength.contains(trimmed.count) else {
            throw .invalid(field, "name must be \(nameLength.lowerBound) to \(nameLength.upperBound) characters")
        }
        return trimmed
    }

    /// Lower-cases and checks the shape `local@domain.tld`.
    public static func email(_ email: String, field: String = "email") throws(DomainError) -> String {
        let normalized = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = normalized.split(separator: "@", omittingEmptySubsequences: false)
        guard normalized.utf8.count <= maxEmailLength, parts.count == 2, !parts[0].isEmpty,
              parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !normalized.contains(where: { $0.isWhitespace })
        else { throw .invalid(field, "a valid email address is required") }
        return normalized
    }

    /// At least 12 characters, with lower case, upper case, a digit and a symbol, at least
    /// three of the four.
    public static func password(_ password: String, field: String = "password") throws(DomainError) {
        guard password.count >= minPasswordLength, password.count <= maxPasswordLength else {
            throw .invalid(field, "password must be \(minPasswordLength) to \(maxPasswordLength) characters")
        }
        let classes = [
            password.contains(where: \.isLowercase), password.contains(where: \.isUppercase),
            password.contains(where: \.isNumber),
            password.contains(where: { !$0.isLetter && !$0.isNumber && !$0.isWhitespace }),
        ].filter { $0 }.count
        guard classes >= 3 else {
            throw .invalid(field, "password must mix at least three of: lower case, upper case, digits, symbols")
        }
    }

    /// An IANA time zone known to this system, e.g. `Europe/Paris` or `UTC`.
    public static func timezone(_ identifier: String, field: String = "timezone") throws(DomainError) {
        guard !identifier.isEmpty, TimeZone(identifier: identifier) != nil else {
            throw .invalid(field, "'\(identifier)' is not a known IANA time zone")
        }
    }

    public static func publishTime(_ time: Instant, now: Instant, field: String = "publishTime") throws(DomainError) {
        guard time > now else { throw .invalid(field, "publish time \(time) is in the past") }
    }

    public static func url(_ text: String, field: String = "url") throws(DomainError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host?.isEmpty == false, text.utf8.count <= 2048
        else { throw .invalid(field, "an http(s) URL is required") }
    }
}
