import LMDB

/// Which events a read or subscription delivers.
public struct EventFilter: Hashable, Sendable {
    /// Only streams whose name starts with this (e.g. `content-`).
    public var streamPrefix: String?
    /// Only these event types; `nil` for all.
    public var types: Set<String>?

    public static let all = EventFilter()

    public init(streamPrefix: String? = nil, types: Set<String>? = nil) {
        self.streamPrefix = streamPrefix.flatMap { $0.isEmpty ? nil : $0 }
        self.types = types
    }

    var isAll: Bool { streamPrefix == nil && types == nil }

    /// The filter in bytes, so matching a record needs no allocation.
    struct Compiled {
        let prefix: [UInt8]?
        let types: [[UInt8]]?

        init(_ filter: EventFilter) {
            prefix = filter.streamPrefix.map { Array($0.utf8) }
            types = filter.types.map { $0.map { Array($0.utf8) } }
        }

        @inline(__always)
        func matches(_ view: EventView) -> Bool {
            if let prefix, !view.streamHasPrefix(prefix) { return false }
            if let types, !types.contains(where: view.typeEquals) { return false }
            return true
        }
    }
}

public enum ReadDirection: Sendable {
    case forward
    case backward
}

/// A consistent, read-only view of the log, valid inside ``EventLog/withSnapshot(_:)``.
/// Views it hands out point into the memory map: copy what must outlive the closure
/// (``EventView/materialize()``).
public struct LogSnapshot {
    let store: LogStore
    let txn: LMDBTransaction

    /// Position of the last event in this snapshot; 0 when the log is empty.
    public func lastPosition() throws -> UInt64 { try store.lastPosition(txn) }

    public func event(at position: UInt64) throws -> EventView? { try store.view(at: position, txn) }

    public func event(id: EventID) throws -> EventView? {
        guard let position = try store.position(ofID: id, txn) else { return nil }
        return try store.view(at: position, txn)
    }

    public func streamInfo(_ stream: StreamName) throws -> StreamInfo? {
        guard let head = try store.head(of: stream, txn) else { return nil }
        return try store.info(of: stream, head: head, txn)
    }

    /// Calls `body` for each event from `position` (inclusive) in `direction` that passes
    /// `filter`, until `body` returns `false`, the log ends or the scan passes `bound`
    /// (inclusive; the last position going forward, the first going backward). The bound
    /// is checked before the filter: a filter that matches nothing past it costs no scan
    /// to the end of the log.
    public func forEach(
        from position: UInt64, direction: ReadDirection = .forward, filter: EventFilter = .all,
        through bound: UInt64? = nil, _ body: (EventView) throws -> Bool
    ) throws {
        let compiled = EventFilter.Compiled(filter)
        let checkFilter = !filter.isAll
        try txn.withCursor(store.events) { cursor in
            var entry = try withUnsafeBytes(of: position.bigEndian) { key in
                direction == .forward ? try cursor.seek(atLeast: key) : try cursor.seek(atMost: key)
            }
            while let (key, value) = entry {
                let position = UInt64(bigEndian: key.loadUnaligned(as: UInt64.self))
                if let bound, direction == .forward ? position > bound : position < bound { return }
                let view = try EventView(position: position, bytes: value)
                if !checkFilter || compiled.matches(view) {
                    guard try body(view) else { return }
                }
                entry = direction == .forward ? try cursor.next() : try cursor.previous()
            }
        }
    }

    /// Calls `body` for each event of `stream` from `version` (inclusive; `nil` means the
    /// first event going forward, the last going backward), until `body` returns `false`.
    public func forEach(
        inStream stream: StreamName, from version: UInt64? = nil, direction: ReadDirection = .forward,
        _ body: (EventView) throws -> Bool
    ) throws {
        guard let head = try store.head(of: stream, txn) else { return }
        switch direction {
        case .backward:
            let start = min(version ?? head.version, head.version)
            var position = try store.position(of: start, in: stream, head: head, txn)
            while position != 0 {
                let view = try streamEvent(at: position, stream)
                guard try body(view) else { return }
                position = view.previousInStream
            }
        case .forward:
            var next = version ?? 0
            // Walk back from the end of each chunk, then deliver the chunk in order.
            var views: [EventView] = []
            views.reserveCapacity(256)
            while next <= head.version {
                let end = min(head.version, next + 255)
                views.removeAll(keepingCapacity: true)
                var position = try store.position(of: end, in: stream, head: head, txn)
                for _ in 0...(end - next) {
                    let view = try streamEvent(at: position, stream)
                    views.append(view)
                    position = view.previousInStream
                }
                for view in views.reversed() {
                    guard try body(view) else { return }
                }
                next = end + 1
            }
        }
    }

    private func streamEvent(at position: UInt64, _ stream: StreamName) throws -> EventView {
        guard let view = try store.view(at: position, txn), view.streamBytes.elementsEqual(stream.rawValue.utf8) else {
            throw EventLogError.corruptRecord(position: position, reason: "stream '\(stream)' links to a record of another stream")
        }
        return view
    }

    /// Streams whose name starts with `prefix`, in name order.
    public func streams(prefix: String = "", after: StreamName? = nil, limit: Int = .max, _ body: (StreamInfo) throws -> Bool) throws {
        let prefixBytes = Array(prefix.utf8)
        try txn.withCursor(store.streams) { cursor in
            let start = after.map { Array($0.rawValue.utf8) + [0] } ?? prefixBytes
            var entry = start.isEmpty ? try cursor.first() : try start.withUnsafeBytes { try cursor.seek(atLeast: $0) }
            var delivered = 0
            while let (key, value) = entry, key.hasPrefix(prefixBytes), delivered < limit {
                let name = StreamName(unchecked: String(decoding: key, as: UTF8.self))
                guard try body(try store.info(of: name, head: StreamHead(bytes: value), txn)) else { return }
                delivered += 1
                entry = try cursor.next()
            }
        }
    }
}

@available(*, unavailable)
extension LogSnapshot: Sendable {}

extension EventLog {
    /// Runs `body` on a consistent snapshot of the log. Synchronous and possibly blocking
    /// on disk reads: call it from your own thread, or use the `async` reads.
    ///
    /// - Throws: ``EventLogError`` for the log's own failures; whatever `body` throws, as is.
    public func withSnapshot<R>(_ body: (LogSnapshot) throws -> R) throws -> R {
        try readRethrowing { txn in try body(LogSnapshot(store: store, txn: txn)) }
    }

    /// A snapshot for the log's own reads, whose closures throw only the log's errors.
    func snapshot<R>(_ body: (LogSnapshot) throws -> R) throws(EventLogError) -> R {
        try read { txn in try body(LogSnapshot(store: store, txn: txn)) }
    }

    /// Up to `limit` events from `position` (inclusive), copied out of the store.
    public func read(
        from position: UInt64 = 1, direction: ReadDirection = .forward, limit: Int = .max, filter: EventFilter = .all
    ) throws(EventLogError) -> [RecordedEvent] {
        try snapshot { snapshot in
            var events: [RecordedEvent] = []
            try snapshot.forEach(from: position, direction: direction, filter: filter) { view in
                events.append(try view.materialize())
                return events.count < limit
            }
            return events
        }
    }

    /// Up to `limit` events of `stream` from `version` (see ``LogSnapshot/forEach(inStream:from:direction:_:)``).
    public func readStream(
        _ stream: StreamName, from version: UInt64? = nil, direction: ReadDirection = .forward, limit: Int = .max
    ) throws(EventLogError) -> [RecordedEvent] {
        try snapshot { snapshot in
            var events: [RecordedEvent] = []
            try snapshot.forEach(inStream: stream, from: version, direction: direction) { view in
                events.append(try view.materialize())
                return events.count < limit
            }
            return events
        }
    }

    public func streamInfo(_ stream: StreamName) throws(EventLogError) -> StreamInfo? {
        try snapshot { try $0.streamInfo(stream) }
    }

    public func event(at position: UInt64) throws(EventLogError) -> RecordedEvent? {
        try snapshot { try $0.event(at: position)?.materialize() }
    }

    public func event(id: EventID) throws(EventLogError) -> RecordedEvent? {
        try snapshot { try $0.event(id: id)?.materialize() }
    }

    // MARK: The same reads for async callers, run on the log's I/O threads

    public func read(
        from position: UInt64 = 1, direction: ReadDirection = .forward, limit: Int = .max, filter: EventFilter = .all
    ) async throws(EventLogError) -> [RecordedEvent] {
        try await offloadRead { try self.read(from: position, direction: direction, limit: limit, filter: filter) }
    }

    public func readStream(
        _ stream: StreamName, from version: UInt64? = nil, direction: ReadDirection = .forward, limit: Int = .max
    ) async throws(EventLogError) -> [RecordedEvent] {
        try await offloadRead { try self.readStream(stream, from: version, direction: direction, limit: limit) }
    }

    public func streamInfo(_ stream: StreamName) async throws(EventLogError) -> StreamInfo? {
        try await offloadRead { try self.streamInfo(stream) }
    }

    /// Runs blocking store work on the log's I/O threads and returns (or rethrows, as it
    /// is) what `body` gives.
    public func offload<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await BlockingPool.shared.run(body)
    }

    private func offloadRead<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws(EventLogError) -> R {
        do {
            return try await BlockingPool.shared.run(body)
        } catch {
            throw EventLogError(error)
        }
    }
}
