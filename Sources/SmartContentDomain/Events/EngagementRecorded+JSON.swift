public import EventLog

/// Engagement is most of a log: its JSON form is read and written here without Foundation's
/// coders, which cost more than everything else an import or a replay does per event.
/// Anything unusual is left to the catalog's Codable path (`nil`, `false`), which reads or
/// writes it, or refuses it with its reasons, exactly as before.
extension EngagementRecorded {
    /// Reads the JSON form the catalog reads (every version: older forms are subsets).
    public init?(json: JSONValue) {
        guard case .object(let fields) = json else { return nil }
        var contentId: ContentID?, kind: EngagementKind?, occurredAt: Instant?
        var userId: ReaderID?, channel: String?, value: Double?
        for (key, field) in fields {
            if field == .null, key == "userId" || key == "channel" || key == "value" { continue }
            switch (key, field) {
            case ("contentId", .string(let text)): contentId = ContentID(rawValue: text)
            case ("kind", .string(let text)): kind = EngagementKind(rawValue: text)
            case ("occurredAt", .string(let text)): occurredAt = Instant(iso8601: text)
            case ("userId", .string(let text)):
                guard let reader = ReaderID(rawValue: text) else { return nil }
                userId = reader
            case ("channel", .string(let text)): channel = text
            case ("value", .number(let text)):
                guard let number = Double(text), number.isFinite, Self.valueRange.contains(number) else { return nil }
                value = number
            default: return nil
            }
        }
        guard let contentId, let kind, let occurredAt else { return nil }
        self.init(contentId: contentId, kind: kind, userId: userId, channel: channel, occurredAt: occurredAt, value: value)
    }

    /// Appends the JSON `EventCatalog.encodeJSON` gives (sorted keys, absent fields left
    /// out), byte for byte; `false`, with nothing appended, when a field would need the
    /// encoder's own escaping or number formatting.
    public func appendJSON(to out: inout [UInt8]) -> Bool {
        guard channel.map(Self.isPlain) ?? true, userId.map({ Self.isPlain($0.rawValue) }) ?? true else { return false }
        var number: String?
        if let value {
            var text = value.description
            guard !text.contains("e") else { return false }
            if text.hasSuffix(".0") { text.removeLast(2) }
            number = text
        }
        out.append(UInt8(ascii: "{"))
        if let channel { Self.appendField("channel", channel, first: true, to: &out) }
        Self.appendField("contentId", contentId.rawValue, first: channel == nil, to: &out)
        Self.appendField("kind", kind.rawValue, first: false, to: &out)
        out.append(contentsOf: #","occurredAt":""#.utf8)
        Timestamp.appendISO8601(occurredAt.millisecondsSince1970, to: &out)
        out.append(UInt8(ascii: "\""))
        if let userId { Self.appendField("userId", userId.rawValue, first: false, to: &out) }
        if let number {
            out.append(contentsOf: #","value":"#.utf8)
            out.append(contentsOf: number.utf8)
        }
        out.append(UInt8(ascii: "}"))
        return true
    }

    /// No byte that JSON escapes: written as it is, the string is what the encoder writes.
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 != 0x7F }
    }

    private static func appendField(_ key: String, _ value: String, first: Bool, to out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: key.utf8)
        out.append(contentsOf: #"":""#.utf8)
        out.append(contentsOf: value.utf8)
        out.append(UInt8(ascii: "\""))
    }
}
