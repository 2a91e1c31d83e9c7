import EventLog

/// Content creation is the most frequent event after engagement, and Foundation's encoder
/// cost a replay more per ContentCreated than everything else did per engagement: its JSON
/// is written here, as engagement's is. Anything unusual is left to the encoder (`false`).
extension ContentCreated {
    /// Appends the JSON `EventCatalog.encodeJSON` gives (sorted keys, absent optionals left
    /// out), byte for byte; `false`, with nothing appended, when a text holds a character
    /// the encoder escapes in a way of its own.
    public func appendJSON(to out: inout [UInt8]) -> Bool {
        guard EncoderJSON.canWrite(title), EncoderJSON.canWrite(body), keywords.allSatisfy(EncoderJSON.canWrite),
              generated.map({ $0.canWriteJSON }) ?? true
        else { return false }
        out.append(#"{"authorId":"#)
        EncoderJSON.append(authorId.rawValue, to: &out)
        out.append(#","body":"#)
        EncoderJSON.append(body, to: &out)
        out.append(#","contentId":"#)
        EncoderJSON.append(contentId.rawValue, to: &out)
        out.append(#","contentType":"#)
        EncoderJSON.append(contentType.rawValue, to: &out)
        if let generated {
            out.append(#","generated":"#)
            generated.appendJSON(to: &out)
        }
        out.append(#","keywords":["#)
        for (index, keyword) in keywords.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            EncoderJSON.append(keyword, to: &out)
        }
        out.append(#"],"title":"#)
        EncoderJSON.append(title, to: &out)
        if let tone {
            out.append(#","tone":"#)
            EncoderJSON.append(tone.rawValue, to: &out)
        }
        out.append(#","workspaceId":"#)
        EncoderJSON.append(workspaceId.rawValue, to: &out)
        out.append(UInt8(ascii: "}"))
        return true
    }
}

extension GenerationParameters {
    var canWriteJSON: Bool {
        EncoderJSON.canWrite(generator) && EncoderJSON.canWrite(model) && EncoderJSON.canWrite(topic)
            && (targetAudience.map(EncoderJSON.canWrite) ?? true)
    }

    func appendJSON(to out: inout [UInt8]) {
        out.append(#"{"generator":"#)
        EncoderJSON.append(generator, to: &out)
        out.append(#","length":"#)
        out.append(utf8: String(length))
        out.append(#","model":"#)
        EncoderJSON.append(model, to: &out)
        if let targetAudience {
            out.append(#","targetAudience":"#)
            EncoderJSON.append(targetAudience, to: &out)
        }
        out.append(#","topic":"#)
        EncoderJSON.append(topic, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}

/// Strings as `JSONEncoder` (with `.withoutEscapingSlashes`) writes them, for the
/// characters whose escapes are certain: `"`, `\`, newline, return and tab. A text with any
/// other control character or DEL is left to the encoder.
enum EncoderJSON {
    static func canWrite(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 ? $0 != 0x7F : $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// Appends `text` quoted; `canWrite(text)` must hold.
    static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { WireFormat.appendString(UnsafeRawBufferPointer($0), to: &out) }
    }
}
