import Foundation

/// The JSON-lines form of events that `replay` prints and `import` reads
/// (DESIGN section 3):
///
/// ```json
/// {"position":41,"stream":"content-cnt_1","version":0,"type":"ContentCreated","schemaVersion":1,
///  "id":"0b6f…","recordedAt":"2026-02-15T10:30:00.123Z","metadata":{"actor":"usr_1"},"data":{…}}
/// ```
public enum WireFormat {
    // MARK: Writing

    /// Appends `event` as one JSON object (no newline) to `out`.
    public static func append(_ event: EventView, to out: inout [UInt8]) throws(EventLogError) {
        try append(position: event.position, stream: event.streamBytes, version: event.version, type: event.typeBytes,
                   schemaVersion: event.schemaVersion, id: event.id, recordedAt: event.recordedAt,
                   metadata: event.metadata(), payloadFormat: event.payloadFormat, payload: event.payloadBytes, to: &out)
    }

    /// Appends `event` with its `data` replaced by `jsonData` (the payload rendered as JSON by
    /// the layer that knows its binary form) and the schema version of that rendering.
    public static func append(
        _ event: EventView, schemaVersion: UInt16, jsonData: [UInt8], to out: inout [UInt8]
    ) throws(EventLogError) {
        try appendEnvelope(event, schemaVersion: schemaVersion, to: &out)
        out.append(contentsOf: jsonData)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `event`'s line up to and including `"data":`, for the caller to write the
    /// payload's JSON and the closing `}`: rendered straight from the record's bytes, with
    /// no string or metadata decoded (replay writes millions of these). Appends nothing
    /// when the record's metadata is malformed.
    public static func appendEnvelope(_ event: EventView, schemaVersion: UInt16, to out: inout [UInt8]) throws(EventLogError) {
        var failure: EventLogError?
        out.append(reserving: maxEnvelopeCount(event)) { writer in
            do throws(EventLogError) {
                try writeEnvelope(event, schemaVersion: schemaVersion, to: &writer)
            } catch {
                failure = error  // thrown before a byte is written
            }
        }
        if let failure { throw failure }
    }

    /// The most bytes ``writeEnvelope(_:schemaVersion:to:)`` writes for `event`: its text
    /// fields escaped at worst (6 bytes a byte), numbers and times at their longest.
    public static func maxEnvelopeCount(_ event: EventView) -> Int {
        256 + 6 * (event.streamBytes.count + event.typeBytes.count + event.metadataBytes.count)
    }

    /// ``appendEnvelope(_:schemaVersion:to:)`` into room reserved for it; writes nothing
    /// when it throws.
    public static func writeEnvelope(
        _ event: EventView, schemaVersion: UInt16, to out: inout RawTextWriter
    ) throws(EventLogError) {
        let metadata = event.metadataBytes
        guard let entries = metadataEntryCount(metadata) else {
            throw .corruptRecord(position: event.position, reason: "malformed metadata")
        }
        out.write(#"{"position":"#)
        out.writeNumber(event.position)
        out.write(#","stream":"#)
        out.writeQuoted(event.streamBytes)
        out.write(#","version":"#)
        out.writeNumber(event.version)
        out.write(#","type":"#)
        out.writeQuoted(event.typeBytes)
        out.write(#","schemaVersion":"#)
        out.writeNumber(UInt64(schemaVersion))
        out.write(#","id":""#)
        out.writeID(event.id)
        out.write(#"","recordedAt":""#)
        out.writeISO8601(event.recordedAt)
        out.write(#"","metadata":{"#)
        var offset = 1
        for index in 0..<entries {
            if index > 0 { out.write(UInt8(ascii: ",")) }
            let keyLength = Int(metadata[offset])
            writeDecodedString(UnsafeRawBufferPointer(rebasing: metadata[offset + 1..<offset + 1 + keyLength]), to: &out)
            offset += 1 + keyLength
            let valueLength = Int(UInt16(littleEndian: metadata.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            out.write(UInt8(ascii: ":"))
            writeDecodedString(UnsafeRawBufferPointer(rebasing: metadata[offset + 2..<offset + 2 + valueLength]), to: &out)
            offset += 2 + valueLength
        }
        out.write(#"},"data":"#)
    }

    /// The number of entries of binary metadata (``EventMetadata``'s layout), `nil` when
    /// the bytes are not that layout, exactly as `EventMetadata(decoding:)` decides.
    static func metadataEntryCount(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty else { return 0 }
        let count = Int(bytes[0])
        var offset = 1
        for _ in 0..<count {
            guard offset < bytes.count else { return nil }
            let keyLength = Int(bytes[offset])
            offset += 1 + keyLength
            guard offset + 2 <= bytes.count else { return nil }
            offset += 2 + Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            guard offset <= bytes.count else { return nil }
        }
        return offset == bytes.count ? count : nil
    }

    /// `bytes` as the quoted JSON string of `String(decoding: bytes, as: UTF8.self)`:
    /// invalid UTF-8 comes out repaired (3 bytes a byte at most), as it did when metadata
    /// was decoded to strings.
    private static func writeDecodedString(_ bytes: UnsafeRawBufferPointer, to out: inout RawTextWriter) {
        if bytes.allSatisfy({ $0 < 0x80 }) || String(validating: bytes, as: UTF8.self) != nil {
            out.writeQuoted(bytes)
        } else {
            var repaired = String(decoding: bytes, as: UTF8.self)
            repaired.withUTF8 { out.writeQuoted(UnsafeRawBufferPointer($0)) }
        }
    }

    public static func append(_ event: RecordedEvent, to out: inout [UInt8]) {
        var stream = event.stream.rawValue, type = event.type
        stream.withUTF8 { streamBytes in
            type.withUTF8 { typeBytes in
                event.payload.withUnsafeBytes { payload in
                    append(position: event.position, stream: UnsafeRawBufferPointer(streamBytes), version: event.version,
                           type: UnsafeRawBufferPointer(typeBytes), schemaVersion: event.schemaVersion, id: event.id,
                           recordedAt: event.recordedAt, metadata: event.metadata, payloadFormat: event.payloadFormat,
                           payload: payload, to: &out)
                }
            }
        }
    }

    static func append(
        position: UInt64, stream: UnsafeRawBufferPointer, version: UInt64, type: UnsafeRawBufferPointer,
        schemaVersion: UInt16, id: EventID, recordedAt: Int64, metadata: EventMetadata, payloadFormat: PayloadFormat,
        payload: UnsafeRawBufferPointer, to out: inout [UInt8]
    ) {
        out.append(#"{"position":"#)
        appendNumber(position, to: &out)
        out.append(#","stream":"#)
        appendString(stream, to: &out)
        out.append(#","version":"#)
        appendNumber(version, to: &out)
        out.append(#","type":"#)
        appendString(type, to: &out)
        out.append(#","schemaVersion":"#)
        appendNumber(UInt64(schemaVersion), to: &out)
        out.append(#","id":""#)
        out.append(contentsOf: id.description.utf8)
        out.append(#"","recordedAt":""#)
        Timestamp.appendISO8601(recordedAt, to: &out)
        out.append(#"","metadata":{"#)
        for (index, (key, value)) in metadata.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendString(value, to: &out)
        }
        out.append(#"},"data":"#)
        if payloadFormat == .json {
            out.append(contentsOf: payload.isEmpty ? UnsafeRawBufferPointer(start: nil, count: 0) : payload)
            if payload.isEmpty { out.append(contentsOf: "null".utf8) }
        } else {
            // Not JSON: carry the bytes losslessly.
            out.append(#"null,"payloadFormat":"#)
            appendNumber(UInt64(payloadFormat.rawValue), to: &out)
            out.append(#","dataBase64":""#)
            out.append(contentsOf: Data(payload).base64EncodedString().utf8)
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
    }

    static func appendNumber(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        out.append(capacity: 20) { buffer in
            var count = 0
            var rest = value
            while rest > 0 {
                count += 1
                rest /= 10
            }
            rest = value
            for index in stride(from: count - 1, through: 0, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return count
        }
    }

    public static func appendString(_ string: String, to out: inout [UInt8]) {
        var string = string
        string.withUTF8 { appendString(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Appends `bytes` (UTF-8) as a quoted JSON string.
    public static func appendString(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var plainStart = 0
        for (index, byte) in bytes.enumerated() {
            // Runs of bytes that need no escape are copied at once.
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F else { continue }
            if plainStart < index { out.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[plainStart..<index])) }
            plainStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): out.append(#"\""#)
            case UInt8(ascii: "\\"): out.append(#"\\"#)
            case 0x0A: out.append(#"\n"#)
            case 0x0D: out.append(#"\r"#)
            case 0x09: out.append(#"\t"#)
            default:
                out.append(#"\u00"#)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            }
        }
        if plainStart < bytes.count { out.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[plainStart...])) }
        out.append(UInt8(ascii: "\""))
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    // MARK: Reading

    /// One line of an import file.
    public struct Line: Sendable {
        public var stream: StreamName
        public var expectedVersion: ExpectedVersion
        /// The event; its payload is `data` as compact JSON.
        public var event: NewEvent
        /// The parsed `data` object, for validation by the layer above.
        public var data: JSONValue
    }

    /// Why a line was rejected.
    public struct LineError: Error, CustomStringConvertible, Sendable {
        public var field: String?
        public var reason: String
        public var description: String { field.map { "\($0): \(reason)" } ?? reason }
    }

    /// Parses one line of the wire format. `position`, `version` and `recordedAt` are optional;
    /// position and version are assigned on append, a given `recordedAt` is kept.
    public static func parseLine(_ line: some Collection<UInt8>) throws(LineError) -> Line {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: line)
        } catch {
            throw LineError(reason: "\(error)")
        }
        guard case .object(let entries) = value else { throw LineError(reason: "a line must be a JSON object") }
        var seen = Set<String>()
        for (key, _) in entries {
            guard knownFields.contains(key) else { throw LineError(field: key, reason: "unknown field") }
            guard seen.insert(key).inserted else { throw LineError(field: key, reason: "appears twice") }
        }
        guard let streamText = value["stream"]?.stringValue else { throw LineError(field: "stream", reason: "a string is required") }
        let stream: StreamName
        do { stream = try StreamName(streamText) } catch { throw LineError(field: "stream", reason: "\(error)") }
        guard let type = value["type"]?.stringValue, !type.isEmpty else {
            throw LineError(field: "type", reason: "a non-empty string is required")
        }
        var schemaVersion: UInt16 = 1
        if let field = value["schemaVersion"] {
            guard let number = field.integerValue, number >= 1, number <= Int64(UInt16.max) else {
                throw LineError(field: "schemaVersion", reason: "an integer from 1 to 65535 is required")
            }
            schemaVersion = UInt16(number)
        }
        var id = EventID()
        if let field = value["id"] {
            guard let text = field.stringValue, let parsed = EventID(text) else {
                throw LineError(field: "id", reason: "a UUID is required")
            }
            id = parsed
        }
        var recordedAt: Int64?
        if let field = value["recordedAt"], !field.isNull {
            guard let text = field.stringValue, let millis = Timestamp.parse(text) else {
                throw LineError(field: "recordedAt", reason: "an ISO-8601 timestamp is required")
            }
            recordedAt = millis
        }
        var metadata = EventMetadata()
        if let field = value["metadata"], !field.isNull {
            guard case .object(let pairs) = field else { throw LineError(field: "metadata", reason: "an object is required") }
            for (key, entry) in pairs {
                switch entry {
                case .string(let text): metadata[key] = text
                case .null: continue
                default: throw LineError(field: "metadata.\(key)", reason: "a string is required")
                }
            }
        }
        var expectedVersion = ExpectedVersion.any
        if let field = value["expectedVersion"], !field.isNull {
            if let text = field.stringValue, let parsed = ExpectedVersion(text) {
                expectedVersion = parsed
            } else if let number = field.integerValue, number >= 0 {
                expectedVersion = .exact(UInt64(number))
            } else {
                throw LineError(field: "expectedVersion", reason: "any, noStream, streamExists or a version number is required")
            }
        }
        guard let data = value["data"], case .object = data else { throw LineError(field: "data", reason: "an object is required") }
        var payload: [UInt8] = []
        data.write(to: &payload)
        let event = NewEvent(id: id, type: type, schemaVersion: schemaVersion, metadata: metadata, payloadFormat: .json,
                             payload: payload, recordedAt: recordedAt)
        do { try event.validate() } catch { throw LineError(reason: "\(error)") }
        return Line(stream: stream, expectedVersion: expectedVersion, event: event, data: data)
    }

    static let knownFields: Set<String> = [
        "position", "stream", "version", "type", "schemaVersion", "id", "recordedAt", "metadata", "data", "expectedVersion",
    ]
}
