import EventLog
public import Foundation

/// A date and time of day on a wall clock, without a time zone: `2027-01-01T09:00:00`.
/// Binary: a zig-zag varint of wall-clock milliseconds since 1970-01-01T00:00:00.
public struct LocalDateTime: Hashable, Sendable, Comparable, Codable, BinaryCodable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00 on the wall clock, read as if it were UTC.
    public var wallMilliseconds: Int64

    public init(wallMilliseconds: Int64) { self.wallMilliseconds = wallMilliseconds }

    /// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS[.fff]`, with no offset or `Z`.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 16, utf8.count <= 23,
              !utf8[10...].contains(where: { $0 == UInt8(ascii: "Z") || $0 == UInt8(ascii: "z") || $0 == UInt8(ascii: "+")
                                              || $0 == UInt8(ascii: "-") })
        else { return nil }
        guard let millis = Timestamp.parse((utf8.count == 16 ? text + ":00" : text) + "Z") else { return nil }
        wallMilliseconds = millis
    }

    /// The wall-clock time `instant` shows in `zone`.
    public init(_ instant: Instant, in zone: TimeZone) {
        wallMilliseconds = instant.millisecondsSince1970 + Self.offset(zone, at: instant.millisecondsSince1970)
    }

    /// `YYYY-MM-DDTHH:MM:SS`.
    public var description: String { String(Timestamp.iso8601(wallMilliseconds).prefix(19)) }

    /// Days since 1970-01-01 of its date.
    public var day: Int64 { Instant(millisecondsSince1970: wallMilliseconds).utcDay }

    public func adding(days: Int) -> LocalDateTime {
        LocalDateTime(wallMilliseconds: wallMilliseconds + Int64(days) * 86_400_000)
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool { lhs.wallMilliseconds < rhs.wallMilliseconds }

    /// The one instant this wall-clock time means in `zone`, by the scheduler's rule for the
    /// times a daylight-saving change makes ambiguous:
    /// - a time the change **skips** (02:30 when clocks go from 02:00 to 03:00) is shifted
    ///   forward by the gap: it is read with the offset in force before the change, so it
    ///   lands as far after the change as it was after its start (03:30);
    /// - a time the change **repeats** (02:30 when clocks go back from 03:00 to 02:00) is its
    ///   **first** occurrence, the one with the offset in force before the change.
    public func resolved(in zone: TimeZone) -> ZonedTime {
        let wall = wallMilliseconds
        // Offsets a day either side bracket any change this wall time can fall in.
        let before = Self.offset(zone, at: wall - 86_400_000), after = Self.offset(zone, at: wall + 86_400_000)
        let candidates = Set([before, after, Self.offset(zone, at: wall)])
            .map { wall - $0 }
            .filter { wall - Self.offset(zone, at: $0) == $0 }
            .sorted()
        if let first = candidates.first {
            let repeated = candidates.count > 1
            return ZonedTime(requested: self, instant: Instant(millisecondsSince1970: first),
                             adjustment: repeated ? .repeated(later: Instant(millisecondsSince1970: candidates.last!)) : nil,
                             zone: zone)
        }
        return ZonedTime(requested: self, instant: Instant(millisecondsSince1970: wall - before),
                         adjustment: .skipped(gapMilliseconds: after - before), zone: zone)
    }

    static func offset(_ zone: TimeZone, at millis: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000))) * 1000
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = LocalDateTime(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not a local date-time (YYYY-MM-DDTHH:MM:SS)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public func encode(to writer: inout BinaryWriter) { writer.write(wallMilliseconds) }
    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) { wallMilliseconds = try reader.read(Int64.self) }
}

/// A wall-clock time resolved to an instant in a time zone (``LocalDateTime/resolved(in:)``).
public struct ZonedTime: Hashable, Sendable {
    public enum Adjustment: Hashable, Sendable {
        /// The requested time does not exist: clocks jumped over it by this much.
        case skipped(gapMilliseconds: Int64)
        /// The requested time happened twice; `later` is the occurrence not chosen.
        case repeated(later: Instant)

        /// `skipped` or `repeated`, as answers name them.
        public var kind: String {
            switch self {
            case .skipped: "skipped"
            case .repeated: "repeated"
            }
        }
    }

    public var requested: LocalDateTime
    public var instant: Instant
    public var adjustment: Adjustment?
    let zone: TimeZone

    /// What the wall clock shows at ``instant``.
    public var local: LocalDateTime { LocalDateTime(instant, in: zone) }

    /// Says how an ambiguous time was resolved, for answers; nil when it was not.
    public var note: String? {
        switch adjustment {
        case nil: return nil
        case .skipped(let gap):
            return "\(requested) does not exist in \(zone.identifier) (clocks skip \(Self.duration(gap))): "
                + "shifted forward by the gap to \(local)"
        case .repeated(let later):
            return "\(requested) happens twice in \(zone.identifier): the first occurrence (\(instant.iso8601)) is used, "
                + "not the second (\(later.iso8601))"
        }
    }

    static func duration(_ millis: Int64) -> String {
        let minutes = millis / 60_000
        return minutes % 60 == 0 ? "\(minutes / 60)h" : "\(minutes)m"
    }
}
