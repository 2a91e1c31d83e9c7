import EventLog

/// A moment in UTC with millisecond precision; ISO-8601 in JSON (`2026-02-15T10:30:00.123Z`),
/// a zig-zag varint of milliseconds since 1970 in binary.
public struct Instant: Hashable, Sendable, Comparable, Codable, BinaryCodable, CustomStringConvertible {
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) { self.millisecondsSince1970 = millisecondsSince1970 }

    public init?(iso8601 text: String) {
        guard let millis = Timestamp.parse(text) else { return nil }
        millisecondsSince1970 = millis
    }

    public var iso8601: String { Timestamp.iso8601(millisecondsSince1970) }
    public var description: String { iso8601 }

    /// The UTC day, as days since 1970-01-01.
    public var utcDay: Int64 {
        millisecondsSince1970 >= 0 ? millisecondsSince1970 / 86_400_000 : (millisecondsSince1970 - 86_399_999) / 86_400_000
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.millisecondsSince1970 < rhs.millisecondsSince1970 }

    public func adding(milliseconds: Int64) -> Instant { Instant(millisecondsSince1970: millisecondsSince1970 + milliseconds) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let instant = Instant(iso8601: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not an ISO-8601 timestamp"))
        }
        self = instant
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }

    public func encode(to writer: inout BinaryWriter) { writer.write(millisecondsSince1970) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        millisecondsSince1970 = try reader.read(Int64.self)
    }
}
