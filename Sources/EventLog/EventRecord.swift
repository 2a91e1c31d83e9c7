import CEventLogSupport

/// The on-disk form of one event, the value under its big-endian position in `events`.
///
/// ```
/// offset size  field
///  0      1    format (1)
///  1      1    payload format
///  2      4    CRC-32C (LE) of the 8-byte key followed by bytes 6…end
///  6      8    stream version (LE)
/// 14      8    previous position in the same stream, 0 for the first event (LE)
/// 22      8    recordedAt, ms since 1970 (LE)
/// 30     16    event id
/// 46      2    schema version (LE)
/// 48      1    stream name length S
/// 49      1    type length T
/// 50      2    metadata length M (LE)
/// 52      4    payload length P (LE)
/// 56      S+T+M+P  stream, type, metadata, payload
/// ```
/// The back link to the previous event of the stream lets stream reads walk the log
/// without a dense per-event stream index, which would cost a random B-tree insert
/// (and a copied page) for every event.
enum EventRecord {
    static let format: UInt8 = 1
    static let headerSize = 56

    static func size(stream: StreamName, event: NewEvent) -> Int {
        headerSize + stream.rawValue.utf8.count + event.type.utf8.count + event.metadata.encodedByteCount
            + event.payload.count
    }

    static func encode(
        _ event: NewEvent, stream: StreamName, position: UInt64, version: UInt64, previous: UInt64,
        recordedAt: Int64, into buffer: UnsafeMutableRawBufferPointer
    ) {
        let streamBytes = stream.rawValue.utf8.count
        let typeBytes = event.type.utf8.count
        let metadataBytes = event.metadata.encodedByteCount
        buffer[0] = format
        buffer[1] = event.payloadFormat.rawValue
        buffer.storeBytes(of: version.littleEndian, toByteOffset: 6, as: UInt64.self)
        buffer.storeBytes(of: previous.littleEndian, toByteOffset: 14, as: UInt64.self)
        buffer.storeBytes(of: recordedAt.littleEndian, toByteOffset: 22, as: Int64.self)
        buffer.storeBytes(of: event.id.high.bigEndian, toByteOffset: 30, as: UInt64.self)
        buffer.storeBytes(of: event.id.low.bigEndian, toByteOffset: 38, as: UInt64.self)
        buffer.storeBytes(of: event.schemaVersion.littleEndian, toByteOffset: 46, as: UInt16.self)
        buffer[48] = UInt8(streamBytes)
        buffer[49] = UInt8(typeBytes)
        buffer.storeBytes(of: UInt16(metadataBytes).littleEndian, toByteOffset: 50, as: UInt16.self)
        buffer.storeBytes(of: UInt32(event.payload.count).littleEndian, toByteOffset: 52, as: UInt32.self)
        var offset = headerSize
        offset += buffer.storeUTF8(stream.rawValue, at: offset)
        offset += buffer.storeUTF8(event.type, at: offset)
        event.metadata.encode(into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + metadataBytes]))
        offset += metadataBytes
        event.payload.withUnsafeBytes { payload in
            UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + payload.count]).copyMemory(from: payload)
        }
        buffer.storeBytes(of: checksum(position: position, record: UnsafeRawBufferPointer(buffer)).littleEndian,
                          toByteOffset: 2, as: UInt32.self)
    }

    @inline(__always)
    static func checksum(position: UInt64, record: UnsafeRawBufferPointer) -> UInt32 {
        var key = position.bigEndian
        let seed = smartcontent_crc32c(0, &key, 8)
        return smartcontent_crc32c(seed, record.baseAddress! + 6, record.count - 6)
    }
}

/// A zero-copy view of a stored event, valid only inside the read that produced it.
///
/// Reading fields costs nothing until asked for; ``materialize()`` copies the event out.
public struct EventView {
    public let position: UInt64
    let bytes: UnsafeRawBufferPointer

    /// Checks the checksum and the layout; a view that passes never reads out of bounds.
    init(position: UInt64, bytes: UnsafeRawBufferPointer) throws(EventLogError) {
        guard bytes.count >= EventRecord.headerSize else {
            throw .corruptRecord(position: position, reason: "record of \(bytes.count) bytes is shorter than its header")
        }
        guard bytes[0] == EventRecord.format else {
            throw .corruptRecord(position: position, reason: "unknown record format \(bytes[0])")
        }
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        let computed = EventRecord.checksum(position: position, record: bytes)
        guard stored == computed else {
            throw .corruptRecord(position: position, reason: "checksum mismatch (stored \(stored), computed \(computed))")
        }
        self.position = position
        self.bytes = bytes
        guard EventRecord.headerSize + streamLength + typeLength + metadataLength + payloadLength == bytes.count else {
            throw .corruptRecord(position: position, reason: "field lengths do not add up to the record size")
        }
    }

    @inline(__always) private func u64(_ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    private var streamLength: Int { Int(bytes[48]) }
    private var typeLength: Int { Int(bytes[49]) }
    private var metadataLength: Int { Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 50, as: UInt16.self))) }
    private var payloadLength: Int { Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 52, as: UInt32.self))) }

    public var version: UInt64 { u64(6) }
    /// Position of the previous event of the same stream; 0 for its first event.
    public var previousInStream: UInt64 { u64(14) }
    public var recordedAt: Int64 { Int64(bitPattern: u64(22)) }
    public var id: EventID { EventID(bytes: UnsafeRawBufferPointer(rebasing: bytes[30..<46])) }
    public var schemaVersion: UInt16 { UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 46, as: UInt16.self)) }
    public var payloadFormat: PayloadFormat { PayloadFormat(rawValue: bytes[1]) }

    public var streamBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[EventRecord.headerSize..<EventRecord.headerSize + streamLength])
    }
    public var typeBytes: UnsafeRawBufferPointer {
        let start = EventRecord.headerSize + streamLength
        return UnsafeRawBufferPointer(rebasing: bytes[start..<start + typeLength])
    }
    public var metadataBytes: UnsafeRawBufferPointer {
        let start = EventRecord.headerSize + streamLength + typeLength
        return UnsafeRawBufferPointer(rebasing: bytes[start..<start + metadataLength])
    }
    public var payloadBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - payloadLength)...])
    }

    public var stream: StreamName { StreamName(unchecked: String(decoding: streamBytes, as: UTF8.self)) }
    public var type: String { String(decoding: typeBytes, as: UTF8.self) }

    public func metadata() throws(EventLogError) -> EventMetadata {
        guard let metadata = EventMetadata(decoding: metadataBytes) else {
            throw .corruptRecord(position: position, reason: "malformed metadata")
        }
        return metadata
    }

    /// One metadata value, read without decoding the rest (`nil` when absent or malformed).
    public func metadataValue(forKey key: StaticString) -> String? {
        let bytes = metadataBytes
        guard !bytes.isEmpty else { return nil }
        let wanted = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        var offset = 1
        for _ in 0..<Int(bytes[0]) {
            guard offset < bytes.count else { return nil }
            let keyLength = Int(bytes[offset])
            offset += 1
            guard offset + keyLength + 2 <= bytes.count else { return nil }
            let matches = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + keyLength]).elementsEqual(wanted)
            offset += keyLength
            let valueLength = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            offset += 2
            guard offset + valueLength <= bytes.count else { return nil }
            if matches {
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + valueLength]), as: UTF8.self)
            }
            offset += valueLength
        }
        return nil
    }

    public func streamHasPrefix(_ prefix: [UInt8]) -> Bool {
        streamBytes.hasPrefix(prefix)
    }

    public func typeEquals(_ type: [UInt8]) -> Bool {
        typeBytes.elementsEqual(type)
    }

    /// Copies the event out of the memory map.
    public func materialize() throws(EventLogError) -> RecordedEvent {
        RecordedEvent(
            position: position, stream: stream, version: version, id: id, type: type,
            schemaVersion: schemaVersion, recordedAt: recordedAt, metadata: try metadata(),
            payloadFormat: payloadFormat, payload: Array(payloadBytes))
    }
}

@available(*, unavailable, message: "An EventView points into a read transaction")
extension EventView: Sendable {}
