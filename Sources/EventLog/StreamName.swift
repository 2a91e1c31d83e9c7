/// The name of a stream: 1 to 255 bytes of UTF-8, without control characters.
///
/// Streams group the events of one entity (`content-cnt_123`); the part before the first
/// `-` is its category, which reads can filter by prefix.
public struct StreamName: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public static let maxByteCount = 255

    /// - Throws: ``EventLogError/invalidStreamName(_:reason:)``.
    public init(_ rawValue: String) throws(EventLogError) {
        let count = rawValue.utf8.count
        guard count > 0 else { throw .invalidStreamName(rawValue, reason: "it is empty") }
        guard count <= Self.maxByteCount else {
            throw .invalidStreamName(rawValue, reason: "it is \(count) bytes long; the limit is \(Self.maxByteCount)")
        }
        guard !rawValue.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw .invalidStreamName(rawValue, reason: "it contains a control character")
        }
        self.rawValue = rawValue
    }

    /// For literals in code and tests; traps on an invalid name.
    public init(stringLiteral value: String) {
        do { try self.init(value) } catch { preconditionFailure("\(error)") }
    }

    init(unchecked rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
    public static func < (lhs: StreamName, rhs: StreamName) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What an append expects of its stream; a mismatch fails with
/// ``EventLogError/wrongExpectedVersion(stream:expected:actual:)`` and appends nothing.
public enum ExpectedVersion: Hashable, Sendable, CustomStringConvertible {
    /// No check.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must have at least one event.
    case streamExists
    /// The stream's last event must have exactly this version (versions start at 0).
    case exact(UInt64)

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "noStream"
        case .streamExists: "streamExists"
        case .exact(let version): "\(version)"
        }
    }

    /// Parses `any`, `noStream` (or `no-stream`), `streamExists` (or `stream-exists`) or a number.
    public init?(_ text: String) {
        switch text {
        case "any": self = .any
        case "noStream", "no-stream", "no_stream": self = .noStream
        case "streamExists", "stream-exists", "stream_exists": self = .streamExists
        default:
            guard let version = UInt64(text) else { return nil }
            self = .exact(version)
        }
    }

    func isSatisfied(byHead head: UInt64?) -> Bool {
        switch self {
        case .any: true
        case .noStream: head == nil
        case .streamExists: head != nil
        case .exact(let version): head == version
        }
    }
}
