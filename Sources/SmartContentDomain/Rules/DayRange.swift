import EventLog

/// The days an analytics question covers, as UTC day numbers: `from` and `to` are days
/// (`YYYY-MM-DD`); without `to` the range ends today, without `from` it is the 30 days
/// ending at `to`; at most 366 days apart. The API and the tool ask the same range for
/// the same words.
public struct DayRange: Sendable, Hashable {
    public static let defaultLength: Int64 = 30
    public static let longestSpan: Int64 = 366

    public let first: Int64
    public let last: Int64

    /// Why the words name no range, and which of them is at fault (`from` or `to`).
    public enum Problem: Error, Sendable, Hashable {
        case notADay(field: String)
        case fromAfterTo
        case tooLong

        public var field: String {
            switch self {
            case .notADay(let field): field
            case .fromAfterTo: "from"
            case .tooLong: "to"
            }
        }

        /// The sentence to show, with the fields named as the caller spells them (`--from`
        /// on the command line).
        public func message(spelling name: (String) -> String = { $0 }) -> String {
            switch self {
            case .notADay(let field): "\(name(field)) must be a day, YYYY-MM-DD"
            case .fromAfterTo: "\(name("from")) must not be after \(name("to"))"
            case .tooLong: "the range is at most \(DayRange.longestSpan) days"
            }
        }
    }

    public init(from: String?, to: String?, today: Int64) throws(Problem) {
        let last = try to.map { text throws(Problem) in try Self.day(text, field: "to") } ?? today
        let first = try from.map { text throws(Problem) in try Self.day(text, field: "from") } ?? last - (Self.defaultLength - 1)
        guard first <= last else { throw .fromAfterTo }
        guard last - first <= Self.longestSpan else { throw .tooLong }
        (self.first, self.last) = (first, last)
    }

    /// The UTC day number of `YYYY-MM-DD`.
    public static func day(_ text: String) -> Int64? {
        guard text.utf8.count == 10, let millis = Timestamp.parse(text + "T00:00:00Z") else { return nil }
        return Instant(millisecondsSince1970: millis).utcDay
    }

    private static func day(_ text: String, field: String) throws(Problem) -> Int64 {
        guard let day = day(text) else { throw .notADay(field: field) }
        return day
    }
}
