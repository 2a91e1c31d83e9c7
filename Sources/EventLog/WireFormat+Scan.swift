extension WireFormat {
    /// A line of the wire format read in place by ``scanLine(_:)``: the envelope decoded,
    /// the `data` object left as its bytes for the layer that knows the event.
    public struct ScannedLine {
        public var stream: StreamName
        public var type: UnsafeRawBufferPointer
        public var schemaVersion: UInt16
        public var id: EventID
        public var recordedAt: Int64?
        public var metadata: EventMetadata
        public var expectedVersion: ExpectedVersion
        /// The `data` object, braces included; its JSON is not checked yet.
        public var data: UnsafeRawBufferPointer
    }

    /// Reads a line of the common shape (fields known and each once, strings of printable
    /// ASCII without escapes, plain numbers) without building a ``JSONValue``; `nil` for
    /// any other line, which ``parseLine(_:)`` then accepts or refuses with its reasons.
    /// What it returns is what ``parseLine(_:)`` would, once `data` is read.
    public static func scanLine(_ line: UnsafeRawBufferPointer) -> ScannedLine? {
        var scanner = JSONScanner(line)
        var stream: StreamName?, type: UnsafeRawBufferPointer?, data: Range<Int>?
        var schemaVersion: UInt16 = 1
        var id: EventID?
        var recordedAt: Int64?
        var metadata = EventMetadata()
        var expectedVersion = ExpectedVersion.any
        let platformKeyNames = EventMetadata.platformKeyNames  // read once a line, not once a key
        let complete = scanner.fields(ScannedField.names) { index, scanner in
            switch ScannedField(rawValue: index)! {
            case .position, .version:
                return scanner.unsignedInteger() != nil
            case .stream:
                guard let bytes = scanner.plainString(), !bytes.isEmpty, bytes.count <= StreamName.maxByteCount else { return false }
                stream = StreamName(unchecked: String(decoding: bytes, as: UTF8.self))
            case .type:
                guard let bytes = scanner.plainString(), !bytes.isEmpty, bytes.count <= NewEvent.maxTypeBytes else { return false }
                type = bytes
            case .schemaVersion:
                guard let number = scanner.unsignedInteger(), number >= 1, number <= UInt64(UInt16.max) else { return false }
                schemaVersion = UInt16(number)
            case .id:
                guard let bytes = scanner.plainString(), let parsed = EventID(utf8: bytes) else { return false }
                id = parsed
            case .recordedAt:
                if scanner.consumeNull() { return true }
                guard let bytes = scanner.plainString(), let millis = Timestamp.parse(utf8: bytes) else { return false }
                recordedAt = millis
            case .metadata:
                if scanner.consumeNull() { return true }
                var seenKeys = 0
                return scanner.members { key, scanner in
                    guard !key.isEmpty, key.count <= EventMetadata.maxKeyBytes, metadata.entries.count < EventMetadata.maxEntries
                    else { return false }
                    // A key given twice is left to the general parser (the last one counts there).
                    let name: String
                    if let index = JSONScanner.index(of: key, in: platformKeyNames) {
                        guard seenKeys & 1 << index == 0 else { return false }
                        seenKeys |= 1 << index
                        name = EventMetadata.platformKeys[index]
                    } else {
                        name = String(decoding: key, as: UTF8.self)
                        guard !metadata.entries.contains(where: { $0.key == name }) else { return false }
                    }
                    if scanner.consumeNull() { return true }
                    guard let value = scanner.plainString(), value.count <= EventMetadata.maxValueBytes else { return false }
                    metadata.append(key: name, value: String(decoding: value, as: UTF8.self))
                    return true
                }
            case .expectedVersion:
                if scanner.consumeNull() { return true }
                if let number = scanner.unsignedInteger() {
                    expectedVersion = .exact(number)
                } else if let bytes = scanner.plainString(), let parsed = ExpectedVersion(String(decoding: bytes, as: UTF8.self)) {
                    expectedVersion = parsed
                } else {
                    return false
                }
            case .data:
                guard let range = scanner.skipContainer(), scanner.bytes[range.lowerBound] == UInt8(ascii: "{"),
                      range.count <= maxScannedData else { return false }
                data = range
            }
            return true
        }
        scanner.skipWhitespace()
        guard complete, scanner.isAtEnd, let stream, let type, let data else { return nil }
        return ScannedLine(stream: stream, type: type, schemaVersion: schemaVersion, id: id ?? EventID(),
                           recordedAt: recordedAt, metadata: metadata, expectedVersion: expectedVersion,
                           data: UnsafeRawBufferPointer(rebasing: line[data]))
    }

    /// Larger `data` goes the general way, which checks its size as JSON text: escapes
    /// could make that text up to six times the bytes read here.
    static let maxScannedData = NewEvent.maxPayloadBytes / 6

    private enum ScannedField: Int {
        case stream, type, id, data, metadata, recordedAt, schemaVersion, position, version, expectedVersion

        static let names: [StaticString] = [
            "stream", "type", "id", "data", "metadata", "recordedAt", "schemaVersion", "position", "version", "expectedVersion",
        ]
    }
}
