import Foundation

/// How long after its publish time an occurrence still fires (`SMARTCONTENT_SCHEDULE_GRACE`):
/// older ones, found after a downtime, are recorded as missed instead.
public enum ScheduleGrace {
    public static let `default`: Duration = .seconds(24 * 3600)

    /// `90m`, `24h`, `2d`, `45s`, or `0` (an integer with one unit: s, m, h or d).
    public static func parse(_ text: String) -> Duration? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text == "0" { return .zero }
        guard let unit = text.last, let value = Int64(text.dropLast()), value >= 0, value <= 36_500 * 86_400 else { return nil }
        let seconds: Int64
        switch unit {
        case "s": seconds = value
        case "m": seconds = value * 60
        case "h": seconds = value * 3600
        case "d": seconds = value * 86_400
        default: return nil
        }
        guard seconds <= 36_500 * 86_400 else { return nil }
        return .seconds(seconds)
    }

    /// `1d2h`, `90m`, `45s`: the largest units that say it exactly.
    public static func describe(milliseconds: Int64) -> String {
        var seconds = max(milliseconds, 0) / 1000
        if seconds == 0 { return "0s" }
        var parts: [String] = []
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where seconds >= size {
            parts.append("\(seconds / size)\(unit)")
            seconds %= size
        }
        return parts.joined()
    }
}
