import Foundation
import LMDB

/// A durable, append-only event log stored in LMDB.
///
/// ```swift
/// let log = try EventLog(directory: "data/log")
/// let result = try await log.append(
///     [NewEvent(type: "ContentCreated", payload: Array(#"{"title":"Hi"}"#.utf8))],
///     to: "content-cnt_1", expectedVersion: .noStream)
/// for try await event in log.subscribe(after: 0) { … }
/// await log.close()
/// ```
///
/// Guarantees:
/// - every event gets a dense global position (from 1) and a dense stream version (from 0);
/// - an append is atomic, checks the expected version of each stream it touches, and is
///   idempotent by event id;
/// - with ``Durability/sync`` (the default) an append returns only once it is on disk;
///   concurrent appends share one commit (group commit);
/// - every record carries a CRC-32C checksum, checked on every read.
///
/// The log is safe to share across tasks and threads. Several processes may open the same
/// directory; one process may open it only once at a time.
public final class EventLog: Sendable {
    public enum Durability: String, Sendable, CaseIterable {
        /// Each append returns after its commit reached the disk.
        case sync
        /// Commits are left to the operating system: a crashed process loses nothing, a
        /// crashed machine may lose the latest appends.
        case noSync = "nosync"
    }

    public struct Options: Sendable {
        public var durability: Durability = .sync
        /// Initial LMDB map size; it grows by itself.
        public var initialMapSize: Int = 1 << 30
        /// Upper bound on the events one group commit gathers.
        public var maxEventsPerCommit: Int = 20_000
        /// Opens without the writer thread, for tools that only read. (The environment
        /// itself opens read-write, so a store whose creator died before creating its
        /// tables still reads as an empty log.)
        public var readOnly = false
        public init() {}
    }

    public let directory: String
    let store: LogStore
    /// The last position this process knows of; appends of other processes show up
    /// when the log is read.
    public let head: PositionWatcher
    private let writer: GroupCommitWriter?

    /// Opens the log in `directory`, creating it if needed.
    ///
    /// - Throws: ``EventLogError/storage(_:)`` (with ``LMDBError/Code/busy`` when this
    ///   process has it open already) or ``EventLogError/unsupportedFormat(_:)``.
    public init(directory: String, options: Options = Options()) throws(EventLogError) {
        var lmdbOptions = LMDBEnvironment.Options()
        lmdbOptions.initialMapSize = options.initialMapSize
        lmdbOptions.durable = options.durability == .sync
        do {
            let environment = try LMDBEnvironment(directory: directory, options: lmdbOptions)
            let store = try LogStore(environment: environment)
            self.store = store
            head = PositionWatcher(head: try environment.read { try store.lastPosition($0) })
        } catch {
            throw EventLogError(error)
        }
        self.directory = directory
        writer = options.readOnly
            ? nil : GroupCommitWriter(store: store, head: head, maxEventsPerCommit: options.maxEventsPerCommit)
    }

    deinit {
        writer?.requestClose()
    }

    /// ``close()`` that blocks the calling thread until the writer thread has ended: for
    /// callers that cannot wait asynchronously, such as an initializer giving up, so that
    /// the directory can be opened again at once.
    public func closeBlocking() {
        head.close()
        writer?.close()
        store.environment.close()
    }

    /// Finishes queued appends, stops the writer thread, wakes subscribers and closes the
    /// files (once reads in flight end). Further operations fail with
    /// ``EventLogError/closed``; the directory can be opened again.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // Waiting for the writer thread blocks: not on the cooperative pool.
            Thread.detachNewThread {
                self.closeBlocking()
                continuation.resume()
            }
        }
    }

    // MARK: Appending

    /// Appends `events` to `stream` atomically.
    ///
    /// - Throws: ``EventLogError/wrongExpectedVersion(stream:expected:actual:)``,
    ///   ``EventLogError/eventIDConflict(id:existingPosition:reason:)``,
    ///   ``EventLogError/invalidEvent(_:)``, ``EventLogError/closed``,
    ///   ``EventLogError/storage(_:)``; in every case nothing was appended.
    @discardableResult
    public func append(
        _ events: [NewEvent], to stream: StreamName, expectedVersion: ExpectedVersion = .any
    ) async throws(EventLogError) -> AppendResult {
        try await append([StreamAppend(stream: stream, expectedVersion: expectedVersion, events: events)])[0]
    }

    /// Appends to several streams in one atomic step: all of it or none of it.
    @discardableResult
    public func append(
        _ appends: [StreamAppend], duplicates: DuplicatePolicy = .idempotent
    ) async throws(EventLogError) -> [AppendResult] {
        guard let writer else { throw .invalidEvent("the log was opened read-only") }
        let request = AppendRequest(appends: appends, duplicates: duplicates)
        try request.validate()
        let results: [Result<[AppendResult], EventLogError>]
        do {
            results = try await writer.submit([request])
        } catch {
            throw EventLogError(error)
        }
        return try results[0].get()
    }

    /// Appends `batches` in order, each one atomically as ``append(_:duplicates:)`` does,
    /// in one commit (one fsync) when they fit the writer's limit: a bulk import pays for
    /// the disk once per many batches. Stops at the first batch that fails: the batches
    /// before it are appended, it and those after it are not.
    ///
    /// - Returns: a result per batch up to the one that failed, whose error is the last.
    /// - Throws: ``EventLogError/closed``, ``EventLogError/storage(_:)``: then nothing of
    ///   any batch was appended.
    public func append(
        batches: [[StreamAppend]], duplicates: DuplicatePolicy = .idempotent
    ) async throws(EventLogError) -> [Result<[AppendResult], EventLogError>] {
        try await appendSequence(duplicates: duplicates).enqueue(batches: batches).results()
    }

    /// A sequence of ordered appends a caller queues without waiting for each
    /// (``AppendSequence``).
    public func appendSequence(duplicates: DuplicatePolicy = .idempotent) -> AppendSequence {
        AppendSequence(writer: writer, duplicates: duplicates)
    }

    /// The position of the last event, 0 for an empty log. Reads the store, so it sees
    /// appends of other processes too.
    public func lastPosition() throws(EventLogError) -> UInt64 {
        let last = try read { try store.lastPosition($0) }
        head.advance(to: last)
        return last
    }

    /// Writes a consistent, compacted copy of the log into `directory` (created, must be
    /// empty) while appends go on. The copy holds every event up to the moment it began.
    public func backup(to directory: String) throws(EventLogError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try store.environment.copy(to: directory, compact: true)
        } catch {
            throw EventLogError(error)
        }
    }

    /// Flushes the log to disk: after appends made with ``Durability/noSync``.
    public func sync() throws(EventLogError) {
        do { try store.environment.sync() } catch { throw EventLogError(error) }
    }

    /// What the writer has done since the log was opened: commits (each one fsync pair in
    /// durable mode), the append requests they answered and the events they wrote.
    public var writerCounters: (commits: Int, requests: Int, events: Int) {
        guard let writer else { return (0, 0, 0) }
        return (writer.commits.load(ordering: .relaxed), writer.requests.load(ordering: .relaxed),
                writer.events.load(ordering: .relaxed))
    }

    // MARK: Internals shared by the read paths

    func read<R>(_ body: (LMDBTransaction) throws -> R) throws(EventLogError) -> R {
        do {
            return try store.environment.read(body)
        } catch {
            throw EventLogError(error)
        }
    }

    /// Like ``read(_:)``, but errors that are not the store's own (thrown by a caller's
    /// closure) come out as they are.
    func readRethrowing<R>(_ body: (LMDBTransaction) throws -> R) throws -> R {
        do {
            return try store.environment.read(body)
        } catch let error as LMDBError {
            throw EventLogError(error)
        }
    }
}

extension EventLogError {
    init(_ error: any Error) {
        switch error {
        case let error as EventLogError: self = error
        case let error as LMDBError where error.code == .closed: self = .closed
        case let error as LMDBError: self = .storage(error)
        default: self = .invalidEvent("\(error)")
        }
    }
}
