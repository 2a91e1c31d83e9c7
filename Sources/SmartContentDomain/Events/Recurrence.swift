import EventLog

/// How a schedule repeats: every `interval` days (`daily`) or weeks (`weekly`, on the
/// weekday of its first occurrence), at the same wall-clock time in the schedule's time
/// zone, up to and including the local date `until` when given.
public struct Recurrence: Hashable, Sendable, Codable, BinaryCodable {
    public enum Frequency: String, Codable, Sendable, CaseIterable, BinaryCodable {
        case daily, weekly
    }

    public static let maxInterval = 366

    public var frequency: Frequency
    public var interval: Int
    /// `YYYY-MM-DD`, a date in the schedule's time zone: the last day an occurrence may fall on.
    public var until: String?

    public init(frequency: Frequency, interval: Int = 1, until: String? = nil) {
        self.frequency = frequency
        self.interval = interval
        self.until = until
    }

    /// The wall-clock time of the occurrence after `occurrence`, or nil when `until` is passed.
    public func next(after occurrence: LocalDateTime) -> LocalDateTime? {
        let next = occurrence.adding(days: interval * (frequency == .weekly ? 7 : 1))
        if let last = untilDay, next.day > last { return nil }
        return next
    }

    /// `until` as days since 1970-01-01, when it is a date.
    public var untilDay: Int64? {
        guard let until, until.utf8.count == 10, let midnight = Timestamp.parse(until) else { return nil }
        return Instant(millisecondsSince1970: midnight).utcDay
    }

    enum CodingKeys: String, CodingKey { case frequency, interval, until }

    /// `interval` defaults to 1.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        frequency = try container.decode(Frequency.self, forKey: .frequency)
        interval = try container.decodeIfPresent(Int.self, forKey: .interval) ?? 1
        until = try container.decodeIfPresent(String.self, forKey: .until)
    }

    public func encode(to w: inout BinaryWriter) { w.write(frequency); w.write(interval); w.write(until) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        frequency = try r.read(); interval = try r.read(); until = try r.read()
    }
}
