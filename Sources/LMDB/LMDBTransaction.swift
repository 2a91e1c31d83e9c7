import CLMDB

/// A named database (a B-tree) inside an ``LMDBEnvironment``. The handle stays valid for the
/// life of the environment once the transaction that opened it committed.
public struct LMDBDatabase: Sendable, Hashable {
    let dbi: MDB_dbi
}

/// A read or write transaction, valid only inside the closure that received it.
///
/// Byte buffers returned by reads point into the memory map: they are valid until the
/// transaction ends or, in a write transaction, until the next write.
public final class LMDBTransaction {
    nonisolated(unsafe) let handle: OpaquePointer
    public let isWritable: Bool
    private(set) var isInvalidated = false
    /// Set when an operation met `MDB_MAP_FULL`, even if the caller swallowed the error,
    /// so the environment knows to grow the map and retry.
    private(set) var metMapFull = false

    /// The longest key the environment takes (`mdb_env_get_maxkeysize`).
    let maxKeySize: Int

    init(handle: OpaquePointer, isWritable: Bool, maxKeySize: Int) {
        self.handle = handle
        self.isWritable = isWritable
        self.maxKeySize = maxKeySize
    }

    func invalidate() { isInvalidated = true }

    @inline(__always)
    private func gate(_ rc: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
        if rc == 0 { return }
        if rc == LMDBError.Code.mapFull.rawValue { metMapFull = true }
        throw LMDBError(code: .init(rawValue: rc), operation: operation())
    }

    /// Keys LMDB would refuse (or, for some calls, misread) never reach C.
    @inline(__always)
    private func checkKey(_ key: UnsafeRawBufferPointer, _ operation: @autoclosure () -> String) throws(LMDBError) {
        try LMDBTransaction.checkKey(key, maxKeySize: maxKeySize, operation())
    }

    @inline(__always)
    static func checkKey(_ key: UnsafeRawBufferPointer, maxKeySize: Int, _ operation: @autoclosure () -> String) throws(LMDBError) {
        guard key.count == 0 || key.count > maxKeySize else { return }
        throw LMDBError(code: .badValueSize,
                        operation: "\(operation()) with a key of \(key.count) bytes (keys have 1 to \(maxKeySize))")
    }

    /// Opens (creating it in a write transaction) the named database.
    public func openDatabase(named name: String, create: Bool = true) throws(LMDBError) -> LMDBDatabase {
        var dbi = MDB_dbi()
        let flags = create && isWritable ? UInt32(MDB_CREATE) : 0
        try gate(mdb_dbi_open(handle, name, flags, &dbi), "mdb_dbi_open(\(name))")
        return LMDBDatabase(dbi: dbi)
    }

    // MARK: Point operations

    /// The value stored under `key`, or `nil`.
    public func get(_ database: LMDBDatabase, key: UnsafeRawBufferPointer) throws(LMDBError) -> UnsafeRawBufferPointer? {
        try checkKey(key, "mdb_get")
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(handle, database.dbi, &k, &v)
        if rc == LMDBError.Code.notFound.rawValue { return nil }
        try gate(rc, "mdb_get")
        return UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)
    }

    public struct PutFlags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Fail with `.keyExists` instead of overwriting.
        public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
        /// The key sorts after every existing key: LMDB skips the search (bulk loads).
        public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
    }

    public func put(
        _ database: LMDBDatabase, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
        flags: PutFlags = []
    ) throws(LMDBError) {
        try checkKey(key, "mdb_put")
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try gate(mdb_put(handle, database.dbi, &k, &v, flags.rawValue), "mdb_put")
    }

    /// Stores `value` under `key` unless the key exists; then returns the stored value and
    /// writes nothing. One B-tree search either way, where a `get` then `put` takes two.
    public func insert(
        _ database: LMDBDatabase, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer
    ) throws(LMDBError) -> UnsafeRawBufferPointer? {
        try checkKey(key, "mdb_put(no-overwrite)")
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let rc = mdb_put(handle, database.dbi, &k, &v, UInt32(MDB_NOOVERWRITE))
        if rc == LMDBError.Code.keyExists.rawValue { return UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size) }
        try gate(rc, "mdb_put(no-overwrite)")
        return nil
    }

    /// Reserves `count` bytes for `key` and lets `fill` write the value in place, saving a
    /// copy of large values.
    public func put(
        _ database: LMDBDatabase, key: UnsafeRawBufferPointer, reserving count: Int, flags: PutFlags = [],
        fill: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(LMDBError) {
        try checkKey(key, "mdb_put(reserve)")
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: count, mv_data: nil)
        try gate(mdb_put(handle, database.dbi, &k, &v, flags.rawValue | UInt32(MDB_RESERVE)), "mdb_put(reserve)")
        fill(UnsafeMutableRawBufferPointer(start: v.mv_data, count: count))
    }

    /// Deletes `key`; returns `false` when it was absent.
    @discardableResult
    public func delete(_ database: LMDBDatabase, key: UnsafeRawBufferPointer) throws(LMDBError) -> Bool {
        try checkKey(key, "mdb_del")
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        let rc = mdb_del(handle, database.dbi, &k, nil)
        if rc == LMDBError.Code.notFound.rawValue { return false }
        try gate(rc, "mdb_del")
        return true
    }

    /// Removes every entry of `database` (keeps the database itself).
    public func clear(_ database: LMDBDatabase) throws(LMDBError) {
        try gate(mdb_drop(handle, database.dbi, 0), "mdb_drop")
    }

    /// Number of entries in `database`.
    public func count(_ database: LMDBDatabase) throws(LMDBError) -> Int {
        var stat = MDB_stat()
        try gate(mdb_stat(handle, database.dbi, &stat), "mdb_stat")
        return stat.ms_entries
    }

    // MARK: Cursors

    /// Runs `body` with a cursor over `database`; the cursor is closed when `body` returns.
    public func withCursor<R>(_ database: LMDBDatabase, _ body: (LMDBCursor) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try gate(mdb_cursor_open(handle, database.dbi, &cursor), "mdb_cursor_open")
        defer { mdb_cursor_close(cursor) }
        return try body(LMDBCursor(handle: cursor!, maxKeySize: maxKeySize))
    }
}

@available(*, unavailable, message: "An LMDB transaction belongs to the thread and closure that began it")
extension LMDBTransaction: Sendable {}

/// A position in a database, valid only inside ``LMDBTransaction/withCursor(_:_:)``.
public struct LMDBCursor {
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    let handle: OpaquePointer
    let maxKeySize: Int

    @inline(__always)
    private func move(_ op: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil) throws(LMDBError) -> Entry? {
        if let key { try LMDBTransaction.checkKey(key, maxKeySize: maxKeySize, "mdb_cursor_get") }
        var k = MDB_val(mv_size: key?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: key?.baseAddress))
        var v = MDB_val()
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == LMDBError.Code.notFound.rawValue { return nil }
        try check(rc, "mdb_cursor_get(\(op.rawValue))")
        return (UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Stores `value` under `key` and leaves the cursor on it: for runs of puts, where
    /// ``LMDBTransaction/put(_:key:value:flags:)`` opens and sets up a cursor for each.
    public func put(
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: LMDBTransaction.PutFlags = []
    ) throws(LMDBError) {
        try LMDBTransaction.checkKey(key, maxKeySize: maxKeySize, "mdb_cursor_put")
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try check(mdb_cursor_put(handle, &k, &v, flags.rawValue), "mdb_cursor_put")
    }

    public func first() throws(LMDBError) -> Entry? { try move(MDB_FIRST) }
    public func last() throws(LMDBError) -> Entry? { try move(MDB_LAST) }
    public func next() throws(LMDBError) -> Entry? { try move(MDB_NEXT) }
    public func previous() throws(LMDBError) -> Entry? { try move(MDB_PREV) }
    /// The first entry whose key is `>= key`.
    public func seek(atLeast key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? { try move(MDB_SET_RANGE, key: key) }
    /// The last entry whose key is `<= key`.
    public func seek(atMost key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? {
        if let entry = try move(MDB_SET_RANGE, key: key) {
            if entry.key.elementsEqual(key) { return entry }
            return try previous()
        }
        return try last()
    }
}

@available(*, unavailable)
extension LMDBCursor: Sendable {}
