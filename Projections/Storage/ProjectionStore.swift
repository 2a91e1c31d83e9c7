import LMDB
public import SmartContentDomain
import Foundation

/// The storage of one projection: its own LMDB environment in `projections/<name>`, one
/// named table per ``Projection/tables`` entry, and a `meta` table holding the checkpoint
/// (the last position folded), written in the same transaction as the state.
public final class ProjectionStore: Sendable {
    public let name: String
    public let directory: String
    let environment: LMDBEnvironment
    let tables: [String: LMDBDatabase]
    let tableNames: [String]
    let meta: LMDBDatabase

    static let checkpointKey = Array("checkpoint".utf8)
    static let formatKey = Array("format".utf8)

    /// Opens (creating) the store. Commits flush data but not the meta page
    /// (`MDB_NOMETASYNC`): a machine crash may lose the last batches, never consistency,
    /// and they are folded again from the log.
    public init(name: String, tables: [String], directory: String) throws {
        self.name = name
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var options = LMDBEnvironment.Options()
        options.initialMapSize = 256 << 20
        options.metaSync = false
        options.maxDatabases = UInt32(tables.count + 2)
        environment = try LMDBEnvironment(directory: directory, options: options)
        let databases = try environment.openDatabases(named: tables + ["meta"])
        var byName: [String: LMDBDatabase] = [:]
        for (name, database) in zip(tables, databases) { byName[name] = database }
        self.tables = byName
        tableNames = tables
        meta = databases[tables.count]
    }

    /// Writes a consistent, compacted copy of the store into `directory` (created, must be empty).
    public func backup(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try environment.copy(to: directory, compact: true)
    }

    /// Closes the files once reads in flight end; the directory can be opened again.
    public func close() { environment.close() }

    /// The layout its rows were written in (``Projection/formatVersion``); 1 for stores
    /// written before it was recorded.
    public func formatVersion() throws -> UInt32 {
        try environment.read { txn in
            try Self.formatKey.withUnsafeBytes { key in
                try txn.get(meta, key: key).map { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) } ?? 1
            }
        }
    }

    /// Records the layout of the rows this store holds (after a ``reset()``, say).
    public func setFormatVersion(_ version: UInt32) throws {
        try environment.write { txn in
            try Self.formatKey.withUnsafeBytes { key in
                try withUnsafeBytes(of: version.littleEndian) { try txn.put(meta, key: key, value: $0) }
            }
        }
    }

    /// The last position folded into this store; 0 when empty.
    public func checkpoint() throws -> UInt64 {
        try environment.read { txn in try Self.checkpoint(txn, meta) }
    }

    static func checkpoint(_ txn: LMDBTransaction, _ meta: LMDBDatabase) throws -> UInt64 {
        try checkpointKey.withUnsafeBytes { key in
            try txn.get(meta, key: key).map { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) } ?? 0
        }
    }

    /// Runs `body` in a write transaction that also moves the checkpoint to `position`.
    public func write(through position: UInt64, _ body: (ProjectionWriter) throws -> Void) throws {
        try environment.write { txn in
            try body(ProjectionWriter(store: self, txn: txn))
            try Self.setCheckpoint(position, txn, meta)
        }
    }

    /// Like ``write(through:_:)``, but only if the stored checkpoint is still `expected`
    /// once the transaction holds the write lock: another process folding the same store
    /// (a CLI query beside a server) never makes a batch count twice. Returns the stored
    /// checkpoint when it moved on instead.
    public func write(
        from expected: UInt64, through position: UInt64, _ body: (ProjectionWriter) throws -> Void
    ) throws -> UInt64? {
        try environment.write { txn in
            let stored = try Self.checkpoint(txn, meta)
            guard stored == expected else { return stored }
            try body(ProjectionWriter(store: self, txn: txn))
            try Self.setCheckpoint(position, txn, meta)
            return nil
        }
    }

    static func setCheckpoint(_ position: UInt64, _ txn: LMDBTransaction, _ meta: LMDBDatabase) throws {
        try checkpointKey.withUnsafeBytes { key in
            try withUnsafeBytes(of: position.littleEndian) { try txn.put(meta, key: key, value: $0) }
        }
    }

    public func read<R>(_ body: (ProjectionReader) throws -> R) throws -> R {
        try environment.read { txn in try body(ProjectionReader(store: self, txn: txn)) }
    }

    /// Empties every table and resets the checkpoint to 0.
    public func reset() throws {
        try environment.write { txn in
            for table in tables.values { try txn.clear(table) }
            try txn.clear(meta)
        }
    }

    /// Every table's entries in key order, as one byte string: two stores folded from the
    /// same events have equal dumps. (The checkpoint is left out.)
    public func canonicalDump() throws -> [UInt8] {
        try environment.read { txn in
            var out: [UInt8] = []
            for name in tableNames.sorted() {
                out.append(contentsOf: "[\(name)]\n".utf8)
                try txn.withCursor(tables[name]!) { cursor in
                    var entry = try cursor.first()
                    while let (key, value) = entry {
                        Self.appendLength(key.count, to: &out)
                        out.append(contentsOf: key)
                        Self.appendLength(value.count, to: &out)
                        out.append(contentsOf: value)
                        entry = try cursor.next()
                    }
                }
            }
            return out
        }
    }

    private static func appendLength(_ count: Int, to out: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(count).bigEndian) { out.append(contentsOf: $0) }
    }

    func database(_ table: String) -> LMDBDatabase {
        guard let database = tables[table] else { preconditionFailure("projection \(name) has no table \(table)") }
        return database
    }
}

/// Reads a projection's tables inside one snapshot.
public struct ProjectionReader {
    let store: ProjectionStore
    let txn: LMDBTransaction

    public func checkpoint() throws -> UInt64 { try ProjectionStore.checkpoint(txn, store.meta) }

    public func get(_ table: String, _ key: OrderedKey) throws -> UnsafeRawBufferPointer? {
        try key.bytes.withUnsafeBytes { try txn.get(store.database(table), key: $0) }
    }

    public func value<T: BinaryCodable>(_ table: String, _ key: OrderedKey, as _: T.Type = T.self) throws -> T? {
        guard let bytes = try get(table, key) else { return nil }
        var reader = BinaryReader(bytes)
        return try T(from: &reader)
    }

    public func contains(_ table: String, _ key: OrderedKey) throws -> Bool { try get(table, key) != nil }

    /// Entries whose key starts with `prefix`, in key order, starting after `after` (a full
    /// key, for cursor pagination) when given; `body` returns `false` to stop.
    public func scan(
        _ table: String, prefix: OrderedKey, after: [UInt8]? = nil,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let prefixBytes = prefix.bytes
        try txn.withCursor(store.database(table)) { cursor in
            var entry: LMDBCursor.Entry?
            if let after {
                entry = try after.withUnsafeBytes { try cursor.seek(atLeast: $0) }
                if let (key, _) = entry, key.elementsEqual(after) { entry = try cursor.next() }
            } else if prefixBytes.isEmpty {
                entry = try cursor.first()
            } else {
                entry = try prefixBytes.withUnsafeBytes { try cursor.seek(atLeast: $0) }
            }
            while let (key, value) = entry, key.hasPrefix(prefixBytes) {
                guard try body(key, value) else { return }
                entry = try cursor.next()
            }
        }
    }

    public func count(_ table: String) throws -> Int { try txn.count(store.database(table)) }
}

@available(*, unavailable)
extension ProjectionReader: Sendable {}

/// Writes a projection's tables inside the runner's transaction.
public struct ProjectionWriter {
    public let reader: ProjectionReader

    init(store: ProjectionStore, txn: LMDBTransaction) { reader = ProjectionReader(store: store, txn: txn) }

    public func put(_ table: String, _ key: OrderedKey, _ value: some BinaryCodable) throws {
        var writer = BinaryWriter()
        value.encode(to: &writer)
        try put(table, key, bytes: writer.bytes)
    }

    public func put(_ table: String, _ key: OrderedKey, bytes: [UInt8] = []) throws {
        try key.bytes.withUnsafeBytes { k in
            try bytes.withUnsafeBytes { v in try reader.txn.put(reader.store.database(table), key: k, value: v) }
        }
    }

    /// Adds to the row under `key`: stores `initial` when there is none, else `combine`s
    /// the stored row with it. Returns whether the row is new. One search for a new row.
    @discardableResult
    public func merge<T: BinaryCodable>(_ table: String, _ key: OrderedKey, _ initial: T, _ combine: (inout T, T) -> Void) throws -> Bool {
        var writer = BinaryWriter(capacity: 32)
        initial.encode(to: &writer)
        let delta = writer.bytes
        return try key.bytes.withUnsafeBytes { k in
            try delta.withUnsafeBytes { v in
                try merge(reader.store.database(table), key: k, encoded: v, as: T.self, combine, scratch: &writer)
            }
        }
    }

    /// ``merge(_:_:_:_:)`` of an encoded delta; `scratch` holds the combined row while it is stored.
    private func merge<T: BinaryCodable>(
        _ database: LMDBDatabase, key: UnsafeRawBufferPointer, encoded delta: UnsafeRawBufferPointer, as _: T.Type,
        _ combine: (inout T, T) -> Void, scratch: inout BinaryWriter
    ) throws -> Bool {
        guard let stored = try reader.txn.insert(database, key: key, value: delta) else { return true }
        var storedReader = BinaryReader(stored)
        var row = try T(from: &storedReader)
        var deltaReader = BinaryReader(delta)
        combine(&row, try T(from: &deltaReader))
        scratch.removeAll()
        row.encode(to: &scratch)
        try scratch.bytes.withUnsafeBytes { try reader.txn.put(database, key: key, value: $0) }
        return false
    }

    /// Stores every row of `rows` in key order, appending those past the table's last key;
    /// of a key given twice, the value given last stays.
    public func putAll(_ table: String, _ rows: consuming RowBatch) throws {
        try inKeyOrder(table, &rows) { key, value, appends, cursor in
            try cursor.put(key: key, value: value, flags: appends ? .append : [])
        }
    }

    /// Adds each row of `rows` (values of type `T`) to the stored row under its key, as
    /// ``merge(_:_:_:_:)`` does, in key order, appending the rows past the table's last
    /// key. `inserted` sees the key of every new row, in key order.
    public func mergeAll<T: BinaryCodable>(
        _ table: String, _ rows: consuming RowBatch, as _: T.Type, _ combine: (inout T, T) -> Void,
        inserted: (UnsafeRawBufferPointer) throws -> Void = { _ in }
    ) throws {
        var writer = BinaryWriter(capacity: 64)
        let database = reader.store.database(table)
        try inKeyOrder(table, &rows) { key, value, appends, cursor in
            if appends {
                try cursor.put(key: key, value: value, flags: .append)
                try inserted(key)
            } else if try merge(database, key: key, encoded: value, as: T.self, combine, scratch: &writer) {
                try inserted(key)
            }
        }
    }

    /// Calls `body` with each row of `rows` in key order, and whether it can be appended:
    /// it sorts after the table's last key and its key was not given just before.
    private func inKeyOrder(
        _ table: String, _ rows: inout RowBatch,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, _ appends: Bool, LMDBCursor) throws -> Void
    ) throws {
        guard !rows.isEmpty else { return }
        rows.sort()
        try reader.txn.withCursor(reader.store.database(table)) { cursor in
            let last = try cursor.last().map { Array($0.key) }
            try rows.arena.bytes.withUnsafeBytes { arena in
                try (last ?? []).withUnsafeBytes { last in
                    // Rows are sorted: once one sorts after the table's last key, all the rest do.
                    var pastLast = last.isEmpty
                    var previous: RowBatch.Entry?
                    for entry in rows.entries {
                        let key = RowBatch.key(of: entry, in: arena)
                        if !pastLast { pastLast = RowBatch.compare(key, last) > 0 }
                        let appends = pastLast && !(previous.map { RowBatch.sameKey(entry, $0, in: arena) } ?? false)
                        previous = entry
                        try body(key, RowBatch.value(of: entry, in: arena), appends, cursor)
                    }
                }
            }
        }
    }

    @discardableResult
    public func delete(_ table: String, _ key: OrderedKey) throws -> Bool {
        try key.bytes.withUnsafeBytes { try reader.txn.delete(reader.store.database(table), key: $0) }
    }

    public func delete(_ table: String, rawKey: [UInt8]) throws {
        try rawKey.withUnsafeBytes { _ = try reader.txn.delete(reader.store.database(table), key: $0) }
    }

    /// Deletes every entry whose key starts with `prefix`.
    public func deleteAll(_ table: String, prefix: OrderedKey) throws {
        var keys: [[UInt8]] = []
        try reader.scan(table, prefix: prefix) { key, _ in
            keys.append(Array(key))
            return true
        }
        for key in keys { try delete(table, rawKey: key) }
    }

    public func value<T: BinaryCodable>(_ table: String, _ key: OrderedKey, as type: T.Type = T.self) throws -> T? {
        try reader.value(table, key, as: type)
    }
}

@available(*, unavailable)
extension ProjectionWriter: Sendable {}
