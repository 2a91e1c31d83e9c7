import LMDB

/// The log's named databases inside one LMDB environment, and the synchronous operations
/// on them. Everything here runs inside a transaction the caller provides.
///
/// - `events`: big-endian position → ``EventRecord``
/// - `ids`: event id (16 bytes) → big-endian position
/// - `streams`: stream name → ``StreamHead``
/// - `stream-index`: stream name, 0, big-endian version → big-endian position, for every
///   ``streamIndexStride``-th version: the entry points of stream reads
/// - `meta`: format version
struct LogStore: Sendable {
    let environment: LMDBEnvironment
    let events: LMDBDatabase
    let ids: LMDBDatabase
    let streams: LMDBDatabase
    let streamIndex: LMDBDatabase
    let meta: LMDBDatabase

    static let formatVersion: UInt32 = 1
    static let streamIndexStride: UInt64 = 64

    init(environment: LMDBEnvironment) throws {
        self.environment = environment
        let databases = try environment.openDatabases(named: ["events", "ids", "streams", "stream-index", "meta"])
        (events, ids, streams, streamIndex, meta) = (databases[0], databases[1], databases[2], databases[3], databases[4])
        let checkFormat = { [meta] (txn: LMDBTransaction) throws in
            let key = Array("format".utf8)
            if let stored = try key.withUnsafeBytes({ try txn.get(meta, key: $0) }) {
                let version = stored.count == 4 ? UInt32(littleEndian: stored.loadUnaligned(as: UInt32.self)) : 0
                guard version == Self.formatVersion else {
                    throw EventLogError.unsupportedFormat("log format \(version); this build reads \(Self.formatVersion)")
                }
            } else {
                try key.withUnsafeBytes { k in
                    try withUnsafeBytes(of: Self.formatVersion.littleEndian) { try txn.put(meta, key: k, value: $0) }
                }
            }
        }
        try environment.write(checkFormat)
    }

    // MARK: Heads

    func lastPosition(_ txn: LMDBTransaction) throws -> UInt64 {
        try txn.withCursor(events) { cursor in
            guard let (key, _) = try cursor.last() else { return 0 }
            return UInt64(bigEndian: key.loadUnaligned(as: UInt64.self))
        }
    }

    func head(of stream: StreamName, _ txn: LMDBTransaction) throws -> StreamHead? {
        var name = stream.rawValue
        return try name.withUTF8 { bytes in
            try txn.get(streams, key: UnsafeRawBufferPointer(bytes)).map(StreamHead.init(bytes:))
        }
    }

    func info(of stream: StreamName, head: StreamHead, _ txn: LMDBTransaction) throws -> StreamInfo {
        guard let first = try indexedPosition(of: stream, version: 0, txn), let firstView = try view(at: first, txn) else {
            throw EventLogError.corruptRecord(position: head.lastPosition, reason: "stream '\(stream)' has no indexed first event")
        }
        return StreamInfo(stream: stream, headVersion: head.version, firstPosition: first, lastPosition: head.lastPosition,
                          createdAt: firstView.recordedAt)
    }

    func putHead(_ head: StreamHead, of stream: StreamName, _ txn: LMDBTransaction) throws {
        var name = stream.rawValue
        try name.withUTF8 { bytes in
            try head.withBytes { try txn.put(streams, key: UnsafeRawBufferPointer(bytes), value: $0) }
        }
    }

    // MARK: Records

    func view(at position: UInt64, _ txn: LMDBTransaction) throws -> EventView? {
        guard let bytes = try withUnsafeBytes(of: position.bigEndian, { try txn.get(events, key: $0) }) else {
            return nil
        }
        return try EventView(position: position, bytes: bytes)
    }

    func position(ofID id: EventID, _ txn: LMDBTransaction) throws -> UInt64? {
        try id.withBytes { key in
            try txn.get(ids, key: key).map { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
        }
    }

    func indexedPosition(of stream: StreamName, version: UInt64, _ txn: LMDBTransaction) throws -> UInt64? {
        try withStreamIndexKey(stream, version) { key in
            try txn.get(streamIndex, key: key).map { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
        }
    }

    func withStreamIndexKey<R>(_ stream: StreamName, _ version: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let nameBytes = stream.rawValue.utf8.count
        return try withUnsafeTemporaryAllocation(byteCount: nameBytes + 9, alignment: 1) { buffer in
            _ = buffer.storeUTF8(stream.rawValue, at: 0)
            buffer[nameBytes] = 0
            buffer.storeBytes(of: version.bigEndian, toByteOffset: nameBytes + 1, as: UInt64.self)
            return try body(UnsafeRawBufferPointer(buffer))
        }
    }

    /// The position of `version` of a stream: from the nearest index entry at or above it,
    /// follow the back links (at most ``streamIndexStride`` - 1 hops).
    func position(of version: UInt64, in stream: StreamName, head: StreamHead, _ txn: LMDBTransaction) throws -> UInt64 {
        var anchor = (version + Self.streamIndexStride - 1) / Self.streamIndexStride * Self.streamIndexStride
        var position: UInt64
        if anchor >= head.version {
            anchor = head.version
            position = head.lastPosition
        } else {
            guard let indexed = try indexedPosition(of: stream, version: anchor, txn) else {
                throw EventLogError.corruptRecord(position: head.lastPosition,
                                                  reason: "stream index of '\(stream)' lacks version \(anchor)")
            }
            position = indexed
        }
        while anchor > version {
            guard let view = try view(at: position, txn) else {
                throw EventLogError.corruptRecord(position: position, reason: "stream '\(stream)' links to a missing record")
            }
            position = view.previousInStream
            anchor -= 1
        }
        return position
    }
}

/// The state of one stream kept in `streams`: 16 bytes, little-endian. Small on purpose:
/// every batch of appends rewrites the pages holding the heads of the streams it touches.
/// The first position and creation time come from version 0, which the stream index
/// always holds.
struct StreamHead: Hashable, Sendable {
    static let byteCount = 16

    var version: UInt64
    var lastPosition: UInt64

    init(version: UInt64, lastPosition: UInt64) {
        self.version = version
        self.lastPosition = lastPosition
    }

    init(bytes: UnsafeRawBufferPointer) {
        version = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        lastPosition = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: (version.littleEndian, lastPosition.littleEndian), body)
    }
}
