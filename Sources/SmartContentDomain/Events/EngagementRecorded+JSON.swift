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
            guard let text = Self.valueText(value) else { return false }
            number = text
        }
        var contentId = contentId.rawValue, channel = channel, user = userId?.rawValue
        out.append(reserving: contentId.utf8.count + (channel?.utf8.count ?? 0) + (user?.utf8.count ?? 0) + 256) { out in
            contentId.withUTF8 { contentId in
                Self.withOptionalUTF8(&channel) { channel in
                    Self.withOptionalUTF8(&user) { user in
                        Self.writeJSON(channel: channel, contentId: UnsafeRawBufferPointer(contentId), kind: kind.rawCode,
                                       occurredAt: occurredAt.millisecondsSince1970, user: user, value: number, to: &out)
                    }
                }
            }
        }
        return true
    }

    private static func withOptionalUTF8<R>(_ text: inout String?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard var string = text else { return body(nil) }
        defer { text = string }
        return string.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    /// `value` as the encoder writes it, when that is `description` (less a trailing `.0`);
    /// `nil` for the exponent forms, which it writes its own way.
    static func valueText(_ value: Double) -> String? {
        var text = value.description
        guard !text.contains("e") else { return nil }
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// The fields in the encoder's order (sorted keys, absent ones left out), each text
    /// already free of anything to escape.
    private static func writeJSON(
        channel: UnsafeRawBufferPointer?, contentId: UnsafeRawBufferPointer, kind: UInt8, occurredAt: Int64,
        user: UnsafeRawBufferPointer?, value: String?, to out: inout RawTextWriter
    ) {
        if let channel {
            out.write(#"{"channel":""#)
            out.write(bytes: channel)
            out.write(#"","contentId":""#)
        } else {
            out.write(#"{"contentId":""#)
        }
        out.write(bytes: contentId)
        out.write(#"","kind":""#)
        out.write(kindNames[Int(kind)])
        out.write(#"","occurredAt":""#)
        out.writeISO8601(occurredAt)
        out.write(UInt8(ascii: "\""))
        if let user {
            out.write(#","userId":""#)
            out.write(bytes: user)
            out.write(UInt8(ascii: "\""))
        }
        if let value {
            out.write(#","value":"#)
            out.write(utf8: value)
        }
        out.write(UInt8(ascii: "}"))
    }

    /// No byte that JSON escapes: written as it is, the string is what the encoder writes.
    private static func isPlain(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F {
                return false
            }
            return true
        }
    }
}

extension EngagementRecorded {
    /// Writes what ``appendJSON(to:)`` writes for the engagement stored as `payload` (the
    /// binary form of the current schema version), read in place: no event and no string
    /// is made, but for a reader id that is a pseudonym, which `reveal` turns into the id
    /// shown. `false`, with nothing appended, for anything else (a payload the decoder
    /// refuses, text the encoder escapes or a number it formats its own way), which the
    /// general path then renders or refuses as before.
    static func writeJSON(
        stored payload: UnsafeRawBufferPointer, revealing reveal: (ReaderID) throws -> ReaderID, to out: inout RawTextWriter
    ) rethrows -> Bool {
        var reader = BinaryReader(payload)
        guard let contentId = try? reader.readCountedBytes(), ContentID.isValid(contentId),
              let kind = try? reader.readByte(), kind < Self.kindNames.count,
              let user = try? Self.readPlain(&reader), let channel = try? Self.readPlain(&reader),
              let occurredAt = try? reader.read(Int64.self), let hasValue = try? reader.read(Bool.self),
              let value = hasValue ? try? reader.read(Double.self) : 0, reader.isAtEnd
        else { return false }
        var number: String?
        if hasValue {
            guard let text = valueText(value) else { return false }
            number = text
        }
        guard let user, ReaderPseudonym.isValid(user) else {
            writeJSON(channel: channel, contentId: contentId, kind: kind, occurredAt: occurredAt, user: user, value: number,
                      to: &out)
            return true
        }
        var shown = try reveal(ReaderID(rawValue: String(decoding: user, as: UTF8.self))!).rawValue
        guard isPlain(shown), shown.utf8.count <= 128 else { return false }
        shown.withUTF8 { shown in
            writeJSON(channel: channel, contentId: contentId, kind: kind, occurredAt: occurredAt,
                      user: UnsafeRawBufferPointer(shown), value: number, to: &out)
        }
        return true
    }

    /// The most bytes ``writeJSON(stored:revealing:to:)`` writes for `payload`: its texts,
    /// a revealed reader id of up to 128 bytes, a time and a number, and the field names.
    static func maxJSONCount(stored payload: UnsafeRawBufferPointer) -> Int { payload.count + 384 }

    /// The names of the kinds, by their code on disk (``EngagementKind``'s binary form).
    private static let kindNames: [StaticString] = ["view", "click", "share", "conversion", "engagement"]

    /// An optional string that is printable ASCII without `"` or `\` (a valid reader id or
    /// channel that needs no escape), as its bytes; throws for anything else.
    private static func readPlain(_ reader: inout BinaryReader) throws(BinaryDecodingError) -> UnsafeRawBufferPointer?? {
        guard try reader.read(Bool.self) else { return .some(nil) }
        let bytes = try reader.readCountedBytes()
        guard !bytes.isEmpty, bytes.count <= 128,
              bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
        else { throw BinaryDecodingError(offset: reader.offset, reason: "not plain") }
        return .some(bytes)
    }
}
