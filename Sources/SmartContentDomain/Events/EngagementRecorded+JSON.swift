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
        if let channel {
            out.append(#"{"channel":""#)
            out.append(utf8: channel)
            out.append(#"","contentId":""#)
        } else {
            out.append(#"{"contentId":""#)
        }
        out.append(utf8: contentId.rawValue)
        out.append(#"","kind":""#)
        out.append(utf8: kind.rawValue)
        out.append(#"","occurredAt":""#)
        Timestamp.appendISO8601(occurredAt.millisecondsSince1970, to: &out)
        out.append(UInt8(ascii: "\""))
        if let userId {
            out.append(#","userId":""#)
            out.append(utf8: userId.rawValue)
            out.append(UInt8(ascii: "\""))
        }
        if let number {
            out.append(#","value":"#)
            out.append(utf8: number)
        }
        out.append(UInt8(ascii: "}"))
        return true
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
            var text = value.description
            guard !text.contains("e") else { return false }
            if text.hasSuffix(".0") { text.removeLast(2) }
            number = text
        }
        var shown: String?
        if let user, ReaderPseudonym.isValid(user) {
            let revealed = try reveal(ReaderID(rawValue: String(decoding: user, as: UTF8.self))!).rawValue
            guard isPlain(revealed), revealed.utf8.count <= 128 else { return false }
            shown = revealed
        }
        if let channel {
            out.write(#"{"channel":""#)
            out.write(bytes: channel)
            out.write(#"","contentId":""#)
        } else {
            out.write(#"{"contentId":""#)
        }
        out.write(bytes: contentId)
        out.write(#"","kind":""#)
        out.write(Self.kindNames[Int(kind)])
        out.write(#"","occurredAt":""#)
        out.writeISO8601(occurredAt)
        out.write(UInt8(ascii: "\""))
        if let user {
            out.write(#","userId":""#)
            if let shown { out.write(utf8: shown) } else { out.write(bytes: user) }
            out.write(UInt8(ascii: "\""))
        }
        if let number {
            out.write(#","value":"#)
            out.write(utf8: number)
        }
        out.write(UInt8(ascii: "}"))
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
