import CLMDB
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An LMDB environment: one directory holding `data.mdb` and `lock.mdb`.
///
/// This class is the single owner of the `MDB_env*`; it closes it in `deinit`, also after a
/// failed open. LMDB forbids opening the same environment twice in one process, so a second
/// open of a path that is still open throws ``LMDBError/Code/busy``.
///
/// ## Map size
/// The map starts at ``Options/initialMapSize`` and grows by itself: a write that meets
/// `MDB_MAP_FULL` is rolled back, the map is enlarged and the write runs again, so callers
/// never see that error. A map grown by another process is adopted the same way.
///
/// ## LMDB limitations
/// - A write transaction belongs to the thread that began it: the body of ``write(_:)`` must
///   stay synchronous.
/// - Transactions must not nest on one thread (a read inside a write, or a read inside a
///   read): the map-resize lock is not recursive.
/// - Keep read transactions short: a long reader pins old pages and delays map growth.
public final class LMDBEnvironment: Sendable {
    public struct Options: Sendable {
        /// Initial size of the memory map in bytes; it grows on demand.
        public var initialMapSize: Int = 1 << 30
        /// Maximum number of named databases.
        public var maxDatabases: UInt32 = 16
        /// Maximum number of simultaneous read transactions across all processes.
        public var maxReaders: UInt32 = 1024
        /// `false` opens with `MDB_NOSYNC`: commits are not flushed to disk (a crash of the
        /// process loses nothing, a crash of the machine may lose the last commits).
        public var durable: Bool = true
        /// `false` opens with `MDB_NOMETASYNC`: one flush per commit instead of two; a crash
        /// of the machine may undo the last commit but never breaks the environment.
        public var metaSync: Bool = true

        public init() {}
    }

    nonisolated(unsafe) let handle: OpaquePointer
    let path: String
    /// The longest key LMDB takes here; longer (or empty) keys are refused before C.
    public let maxKeySize: Int
    let options: Options
    private let resizeLock = ResizeLock()
    /// Set once by ``close()``, under the resize lock held exclusively, so no transaction
    /// can be running when the handle goes away.
    private let isClosed = Atomic<Bool>(false)

    private static let openPaths = Mutex<Set<String>>([])

    /// Opens (creating if needed) the environment in `directory`.
    ///
    /// - Throws: ``LMDBError`` with `.busy` when this process already has it open, or the
    ///   code LMDB returned.
    public init(directory: String, options: Options = Options()) throws(LMDBError) {
        mkdir(directory, 0o700)
        guard let resolved = realpath(directory, nil) else {
            throw LMDBError(code: .init(rawValue: errno), operation: "realpath(\(directory))")
        }
        let canonical = String(cString: resolved)
        free(resolved)

        let inserted = Self.openPaths.withLock { $0.insert(canonical).inserted }
        guard inserted else {
            throw LMDBError(code: .busy, operation: "open \(canonical) (already open in this process)")
        }
        var env: OpaquePointer?
        do {
            try check(mdb_env_create(&env), "mdb_env_create")
        } catch {
            Self.openPaths.withLock { _ = $0.remove(canonical) }
            throw error
        }
        do {
            try check(mdb_env_set_maxdbs(env, MDB_dbi(options.maxDatabases)), "mdb_env_set_maxdbs")
            try check(mdb_env_set_maxreaders(env, options.maxReaders), "mdb_env_set_maxreaders")
            try check(mdb_env_set_mapsize(env, options.initialMapSize), "mdb_env_set_mapsize")
            var flags = UInt32(MDB_NOTLS)
            if !options.durable { flags |= UInt32(MDB_NOSYNC) }
            if !options.metaSync { flags |= UInt32(MDB_NOMETASYNC) }
            try check(mdb_env_open(env, canonical, flags, 0o600), "mdb_env_open(\(canonical))")
            // Reader slots left by killed processes would pin old pages forever.
            var stale: Int32 = 0
            try check(mdb_reader_check(env, &stale), "mdb_reader_check")
        } catch {
            mdb_env_close(env)
            Self.openPaths.withLock { _ = $0.remove(canonical) }
            throw error
        }
        self.handle = env!
        self.maxKeySize = Int(mdb_env_get_maxkeysize(env))
        self.path = canonical
        self.options = options
    }

    deinit {
        close()
    }

    /// Closes the environment once the transactions in flight end; later operations fail
    /// with ``LMDBError/Code/closed``. The path can then be opened again.
    public func close() {
        resizeLock.lockExclusive()
        defer { resizeLock.unlock() }
        guard !isClosed.load(ordering: .acquiring) else { return }
        isClosed.store(true, ordering: .releasing)
        mdb_env_close(handle)
        Self.openPaths.withLock { _ = $0.remove(path) }
    }

    // MARK: Transactions

    /// Runs `body` in a read-only transaction: a consistent snapshot of the environment.
    public func read<R>(_ body: (LMDBTransaction) throws -> R) throws -> R {
        let txn = try begin(flags: UInt32(MDB_RDONLY))
        defer {
            mdb_txn_abort(txn)
            resizeLock.unlock()
        }
        let transaction = LMDBTransaction(handle: txn, isWritable: false, maxKeySize: maxKeySize)
        defer { transaction.invalidate() }
        return try body(transaction)
    }

    /// Runs `body` in a write transaction that commits when `body` returns and rolls back
    /// when it throws. If the map fills up, the transaction is rolled back, the map grows and
    /// `body` runs again from scratch, so it must not have side effects outside the
    /// transaction.
    public func write<R>(_ body: (LMDBTransaction) throws -> R) throws -> R {
        while true {
            let txn = try begin(flags: 0)
            let transaction = LMDBTransaction(handle: txn, isWritable: true, maxKeySize: maxKeySize)
            let result: R
            do {
                result = try body(transaction)
                transaction.invalidate()
                try check(mdb_txn_commit(txn), "mdb_txn_commit")
                resizeLock.unlock()
                return result
            } catch {
                if !transaction.isInvalidated {
                    transaction.invalidate()
                    mdb_txn_abort(txn)
                }
                resizeLock.unlock()
                if transaction.metMapFull || LMDBError.Code.mapFull ~= error {
                    try grow()
                    continue
                }
                throw error
            }
        }
    }

    /// Begins a transaction holding the resize lock shared; adopts a map grown by another
    /// process when LMDB asks to.
    private func begin(flags: UInt32) throws(LMDBError) -> OpaquePointer {
        while true {
            resizeLock.lockShared()
            if isClosed.load(ordering: .acquiring) {
                resizeLock.unlock()
                throw LMDBError(code: .closed, operation: "mdb_txn_begin (environment closed)")
            }
            var txn: OpaquePointer?
            let rc = mdb_txn_begin(handle, nil, flags, &txn)
            if rc == 0, let txn { return txn }
            resizeLock.unlock()
            if rc == LMDBError.Code.mapResized.rawValue {
                try resize(to: 0)
                continue
            }
            try check(rc, "mdb_txn_begin")
        }
    }

    private func grow() throws(LMDBError) {
        let current = info.mapSize
        guard current > 0 else { throw LMDBError(code: .closed, operation: "mdb_env_set_mapsize") }
        // Double up to 8 GiB, then grow in 8 GiB steps: few remaps, bounded over-reservation.
        let step = min(current, 8 << 30)
        try resize(to: current + step)
    }

    private func resize(to size: Int) throws(LMDBError) {
        resizeLock.lockExclusive()
        defer { resizeLock.unlock() }
        guard !isClosed.load(ordering: .acquiring) else { throw LMDBError(code: .closed, operation: "mdb_env_set_mapsize") }
        // Another thread may have grown it meanwhile; growing again is harmless.
        try check(mdb_env_set_mapsize(handle, size), "mdb_env_set_mapsize(\(size))")
    }

    /// Opens (creating) the named databases. The handles stay valid for the life of the
    /// environment.
    public func openDatabases(named names: [String]) throws -> [LMDBDatabase] {
        try write { txn in try names.map { try txn.openDatabase(named: $0) } }
    }

    // MARK: Introspection and maintenance

    public struct Info: Sendable {
        public var mapSize: Int
        public var lastPageNumber: Int
        public var lastTransactionID: Int
        public var pageSize: Int
        public var maxReaders: Int
        public var readers: Int
    }

    public var info: Info {
        resizeLock.lockShared()
        defer { resizeLock.unlock() }
        guard !isClosed.load(ordering: .acquiring) else {
            return Info(mapSize: 0, lastPageNumber: 0, lastTransactionID: 0, pageSize: 0, maxReaders: 0, readers: 0)
        }
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        var stat = MDB_stat()
        mdb_env_stat(handle, &stat)
        return Info(
            mapSize: info.me_mapsize, lastPageNumber: info.me_last_pgno,
            lastTransactionID: info.me_last_txnid, pageSize: Int(stat.ms_psize),
            maxReaders: Int(info.me_maxreaders), readers: Int(info.me_numreaders))
    }

    /// Flushes buffers to disk (useful after writes made with `durable: false`).
    public func sync() throws(LMDBError) {
        resizeLock.lockShared()
        defer { resizeLock.unlock() }
        guard !isClosed.load(ordering: .acquiring) else { throw LMDBError(code: .closed, operation: "mdb_env_sync") }
        try check(mdb_env_sync(handle, 1), "mdb_env_sync")
    }

    /// Writes a consistent copy of the environment to `directory` (which must exist and be
    /// empty) while writers keep going; `compact` omits free pages.
    public func copy(to directory: String, compact: Bool) throws(LMDBError) {
        // The copy runs its own read transaction, so it must hold off map resizes too.
        resizeLock.lockShared()
        defer { resizeLock.unlock() }
        guard !isClosed.load(ordering: .acquiring) else { throw LMDBError(code: .closed, operation: "mdb_env_copy2") }
        try check(
            mdb_env_copy2(handle, directory, compact ? UInt32(MDB_CP_COMPACT) : 0),
            "mdb_env_copy2(\(directory))")
        // LMDB creates the copy with the process's default mode; a copy is as private as
        // the original (0600 in a 0700 directory): it may hold keys and personal data.
        chmod(directory, 0o700)
        chmod(directory + "/data.mdb", 0o600)
    }
}
