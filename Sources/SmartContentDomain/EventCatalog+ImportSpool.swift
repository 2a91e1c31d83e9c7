import EventLog

extension EventCatalog.ImportLine {
    /// Writes the line in the compact binary form ``init(spooled:)`` reads back, so that an
    /// import checks a file's JSON once and appends from this form. The event's payload is
    /// left out: ``EventCatalog/newEvent(from:encoding:)`` replaces it with `decoded`.
    public func spool(to writer: inout BinaryWriter) {
        writer.write(stream.rawValue)
        switch expectedVersion {
        case .any: writer.write(UInt8(0))
        case .noStream: writer.write(UInt8(1))
        case .streamExists: writer.write(UInt8(2))
        case .exact(let version):
            writer.write(UInt8(3))
            writer.writeVarint(version)
        }
        writer.writeFixed(event.id.high)
        writer.writeFixed(event.id.low)
        // The type as its place in the catalog: read back without making a string. A line
        // is only ever of a type the catalog knows (decoding it checked that).
        var type = event.type
        let index = type.withUTF8 { EventCatalog.entryIndex(typeBytes: UnsafeRawBufferPointer($0)) }!
        writer.writeVarint(UInt64(index))
        writer.writeVarint(UInt64(event.schemaVersion))
        writer.writeVarint(UInt64(event.metadata.entries.count))
        for (key, value) in event.metadata {
            writer.write(key)
            writer.write(value)
        }
        if let recordedAt = event.recordedAt {
            writer.write(true)
            writer.write(recordedAt)
        } else {
            writer.write(false)
        }
        // `decoded` is of the line's type (decoding upcasts, it never changes the type).
        writer.writeVarint(UInt64(decoded.schemaVersion))
        let lengthAt = writer.storage.count
        writer.storage.append(contentsOf: repeatElement(0, count: 4))
        decoded.encodeBinary(to: &writer)
        let length = UInt32(writer.storage.count - lengthAt - 4).littleEndian
        withUnsafeBytes(of: length) { bytes in
            for offset in 0..<4 { writer.storage[lengthAt + offset] = bytes[offset] }
        }
    }

    /// Reads a line ``spool(to:)`` wrote.
    public init(spooled reader: inout BinaryReader) throws {
        stream = try StreamName(try reader.read(String.self))
        switch try reader.readByte() {
        case 0: expectedVersion = .any
        case 1: expectedVersion = .noStream
        case 2: expectedVersion = .streamExists
        case 3: expectedVersion = .exact(try reader.readVarint())
        case let tag: throw BinaryDecodingError(offset: reader.offset, reason: "unknown expected-version tag \(tag)")
        }
        let id = EventID(high: try reader.readFixed(), low: try reader.readFixed())
        let index = Int(clamping: try reader.readVarint())
        guard index < EventCatalog.entriesByBytes.count else {
            throw BinaryDecodingError(offset: reader.offset, reason: "no event type at \(index) in the catalog")
        }
        let (_, type, entry) = EventCatalog.entriesByBytes[index]
        let schemaVersion = UInt16(truncatingIfNeeded: try reader.readVarint())
        var metadata = EventMetadata()
        for _ in 0..<(try reader.readVarint()) {
            let key = try reader.read(String.self)
            metadata[key] = try reader.read(String.self)
        }
        let recordedAt: Int64? = try reader.read(Bool.self) ? try reader.read(Int64.self) : nil
        event = NewEvent(id: id, type: type, schemaVersion: schemaVersion, metadata: metadata,
                         payloadFormat: .json, payload: [], recordedAt: recordedAt)
        let decodedVersion = UInt16(truncatingIfNeeded: try reader.readVarint())
        let payload = try reader.readLengthPrefixed()
        if index == EventCatalog.engagementEntryIndex, decodedVersion == EngagementRecorded.schemaVersion {
            decoded = try EventCatalog.decodeEngagement(payload)
        } else {
            var payloadReader = BinaryReader(payload)
            decoded = try entry.decodeBinary(decodedVersion, &payloadReader)
        }
    }
}

extension BinaryReader {
    /// What follows a four-byte little-endian length.
    fileprivate mutating func readLengthPrefixed() throws(BinaryDecodingError) -> UnsafeRawBufferPointer {
        guard _offset + 4 <= bytes.count else { throw fail("unexpected end") }
        let count = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: _offset, as: UInt32.self)))
        _offset += 4
        guard count <= bytes.count - _offset else { throw fail("nested value longer than the record") }
        defer { _offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[_offset..<_offset + count])
    }
}
