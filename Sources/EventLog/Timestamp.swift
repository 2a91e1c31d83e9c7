/// UTC timestamps as milliseconds since 1970, and their ISO-8601 text
/// (`2026-02-15T10:30:00.123Z`), without Foundation's formatters on hot paths.
public enum Timestamp {
    /// `2026-02-15T10:30:00.123Z`.
    public static func iso8601(_ millis: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendISO8601(millis, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-MM-DD` of a UTC day (days since 1970-01-01), without the time of day.
    public static func isoDate(day: Int64) -> String {
        let (year, month, dayOfMonth) = civil(fromDays: day)
        return String(unsafeUninitializedCapacity: 10) { buffer in
            func put(_ value: Int64, _ count: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + count - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, 4, at: 0); buffer[4] = UInt8(ascii: "-")
            put(month, 2, at: 5); buffer[7] = UInt8(ascii: "-")
            put(dayOfMonth, 2, at: 8)
            return 10
        }
    }

    public static func appendISO8601(_ millis: Int64, to out: inout [UInt8]) {
        out.append(capacity: 24) { writeISO8601(millis, into: $0) }
    }

    /// Writes ``iso8601(_:)``'s 24 bytes into `buffer`; returns how many.
    static func writeISO8601(_ millis: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let (days, msOfDay) = millis.quotientAndRemainder(dividingBy: 86_400_000)
        let (day, ms) = msOfDay < 0 ? (days - 1, msOfDay + 86_400_000) : (days, msOfDay)
        let (year, month, dayOfMonth) = civil(fromDays: day)
        var offset = 0
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            var value = value
            while divisor > 0 {
                buffer[offset] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / divisor)
                offset += 1
                value %= divisor
                divisor /= 10
            }
        }
        func put(_ byte: UInt8) {
            buffer[offset] = byte
            offset += 1
        }
        digits(year, 4); put(UInt8(ascii: "-"))
        digits(month, 2); put(UInt8(ascii: "-"))
        digits(dayOfMonth, 2); put(UInt8(ascii: "T"))
        digits(ms / 3_600_000, 2); put(UInt8(ascii: ":"))
        digits(ms / 60_000 % 60, 2); put(UInt8(ascii: ":"))
        digits(ms / 1000 % 60, 2); put(UInt8(ascii: "."))
        digits(ms % 1000, 3); put(UInt8(ascii: "Z"))
        return offset
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, or a bare date `YYYY-MM-DD`
    /// (midnight UTC). Returns `nil` for anything else, including impossible dates.
    public static func parse(_ text: some StringProtocol) -> Int64? {
        var text = String(text)
        return text.withUTF8 { parse(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// ``parse(_:)`` of UTF-8 bytes, read in place.
    public static func parse(utf8 b: UnsafeRawBufferPointer) -> Int64? {
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= b.count else { return nil }
            var value: Int64 = 0
            for i in range {
                guard b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(b[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        let midnight = days(fromCivil: year, month, day) * 86_400_000
        if b.count == 10 { return midnight }
        guard b.count >= 20, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var millis: Int64 = 0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100
            let start = index
            while index < b.count, b[index] >= UInt8(ascii: "0"), b[index] <= UInt8(ascii: "9") {
                millis += Int64(b[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset: Int64 = 0
        guard index < b.count else { return nil }
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == b.count, b[index + 3] == UInt8(ascii: ":"),
                  let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6),
                  hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 60 + minutes) * 60_000 * (b[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        default:
            return nil
        }
        guard index == b.count else { return nil }
        return midnight + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis - offset
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days-from-civil algorithms.
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
