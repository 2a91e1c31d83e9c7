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
        let metadata = try event.metadata()
        jsonData.withUnsafeBytes { data in
            append(position: event.position, stream: event.streamBytes, version: event.version, type: event.typeBytes,
                   schemaVersion: schemaVersion, id: event.id, recordedAt: event.recordedAt, metadata: metadata,
                   payloadFormat: .json, payload: data, to: &out)
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
        out.append(contentsOf: #"{"position":"#.utf8)
        appendNumber(position, to: &out)
        out.append(contentsOf: #","stream":"#.utf8)
        appendString(stream, to: &out)
        out.append(contentsOf: #","version":"#.utf8)
        appendNumber(version, to: &out)
        out.append(contentsOf: #","type":"#.utf8)
        appendString(type, to: &out)
        out.append(contentsOf: #","schemaVersion":"#.utf8)
        appendNumber(UInt64(schemaVersion), to: &out)
        out.append(contentsOf: #","id":""#.utf8)
        out.append(contentsOf: id.description.utf8)
        out.append(contentsOf: #"","recordedAt":""#.utf8)
        Timestamp.appendISO8601(recordedAt, to: &out)
        out.append(contentsOf: #"","metadata":{"#.utf8)
        for (index, (key, value)) in metadata.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendString(value, to: &out)
        }
        out.append(contentsOf: #"},"data":"#.utf8)
        if payloadFormat == .json {
            out.append(contentsOf: payload.isEmpty ? UnsafeRawBufferPointer(start: nil, count: 0) : payload)
            if payload.isEmpty { out.append(contentsOf: "null".utf8) }
        } else {
            // Not JSON: carry the bytes losslessly.
            out.append(contentsOf: #"null,"payloadFormat":"#.utf8)
            appendNumber(UInt64(payloadFormat.rawValue), to: &out)
            out.append(contentsOf: #","dataBase64":""#.utf8)
            out.append(contentsOf: Data(payload).base64EncodedString().utf8)
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
    }

    @inline(__always)
    static func appendNumber(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                     UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var value = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            let d = buffer.bindMemory(to: UInt64.self)
            while value > 0 {
                d[count] = value % 10
                value /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(UInt8(ascii: "0") + UInt8(d[index])) }
        }
    }

    public static func appendString(_ string: String, to out: inout [UInt8]) {
        var string = string
        string.withUTF8 { appendString(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Appends `bytes` (UTF-8) as a quoted JSON string.
    public static func appendString(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20, 0x7F:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

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
