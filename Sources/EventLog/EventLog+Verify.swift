import LMDB

/// What ``EventLog/verify(progress:)`` found.
public struct VerificationReport: Sendable, Codable {
    public var events: UInt64 = 0
    public var streams: UInt64 = 0
    public var lastPosition: UInt64 = 0
    /// The first problems found (at most ``maxListedProblems``), each a sentence.
    public var problems: [String] = []
    /// All problems, including those not listed.
    public var problemCount = 0

    public static let maxListedProblems = 100
    public var isHealthy: Bool { problemCount == 0 }

    mutating func report(_ problem: String) {
        problemCount += 1
        if problems.count < Self.maxListedProblems { problems.append(problem) }
    }
}

/// Sizes and counts of the log.
public struct LogStatistics: Sendable, Codable {
    public var events: Int
    public var streams: Int
    public var lastPosition: UInt64
    public var firstRecordedAt: Int64?
    public var lastRecordedAt: Int64?
    public var fileBytes: Int
    public var mapBytes: Int
    public var pageSize: Int
}

extension EventLog {
    /// Checks every record (checksum, layout), that positions have no gap, that each stream's
    /// versions are dense and its back links right, and that the id, stream and
    /// stream-index tables agree with the records. Reads one snapshot; writers may go on.
    ///
    /// `progress` is called now and then with the position reached.
    public func verify(progress: (UInt64) -> Void = { _ in }) throws(EventLogError) -> VerificationReport {
        try read { txn in
            var report = VerificationReport()
            let last = try store.lastPosition(txn)
            report.lastPosition = last
            // Per stream: (last version, last position, first position), as the records say.
            var streams: [String: (version: UInt64, last: UInt64, first: UInt64)] = [:]
            var expected: UInt64 = 1
            var indexEntries = 0
            // Unreadable records: the next event of their stream links back to them, and is
            // judged from there rather than reported again.
            var unreadable = Set<UInt64>()
            try txn.withCursor(store.events) { cursor in
                var entry = try cursor.first()
                while let (key, value) = entry {
                    defer { expected += 1 }
                    entry = try cursor.next()
                    guard key.count == 8 else {
                        report.report("a key of \(key.count) bytes in the events table")
                        continue
                    }
                    let position = UInt64(bigEndian: key.loadUnaligned(as: UInt64.self))
                    report.events += 1
                    if position != expected {
                        report.report("gap in positions: expected \(expected), found \(position)")
                        expected = position
                    }
                    if position % 100_000 == 0 { progress(position) }
                    let view: EventView
                    do {
                        view = try EventView(position: position, bytes: value)
                        _ = try view.metadata()
                    } catch {
                        report.report("\(error)")
                        unreadable.insert(position)
                        continue
                    }
                    let name = String(decoding: view.streamBytes, as: UTF8.self)
                    let version = view.version
                    if unreadable.contains(view.previousInStream) {
                        streams[name] = (version, position, streams[name]?.first ?? view.previousInStream)
                    } else if let known = streams[name] {
                        if version != known.version + 1 {
                            report.report("stream '\(name)': position \(position) has version \(version), expected \(known.version + 1)")
                        }
                        if view.previousInStream != known.last {
                            report.report("stream '\(name)': position \(position) links back to \(view.previousInStream), expected \(known.last)")
                        }
                        streams[name] = (version, position, known.first)
                    } else {
                        if version != 0 {
                            report.report("stream '\(name)' starts at version \(version) (position \(position))")
                        }
                        if view.previousInStream != 0 {
                            report.report("stream '\(name)': first event at \(position) links back to \(view.previousInStream)")
                        }
                        streams[name] = (version, position, position)
                    }
                    if version % LogStore.streamIndexStride == 0 {
                        indexEntries += 1
                        let indexed = try store.indexedPosition(of: StreamName(unchecked: name), version: version, txn)
                        if indexed != position {
                            report.report("stream index of '\(name)' version \(version) points to \(indexed.map(String.init) ?? "nothing"), expected \(position)")
                        }
                    }
                    let byID = try store.position(ofID: view.id, txn)
                    if byID != position {
                        report.report("id \(view.id) of position \(position) is indexed at \(byID.map(String.init) ?? "nothing")")
                    }
                }
            }
            report.streams = UInt64(streams.count)
            let idCount = try txn.count(store.ids)
            if idCount != Int(report.events) {
                report.report("the id index has \(idCount) entries for \(report.events) events")
            }
            let indexCount = try txn.count(store.streamIndex)
            if indexCount != indexEntries {
                report.report("the stream index has \(indexCount) entries, expected \(indexEntries)")
            }
            var heads = 0
            try txn.withCursor(store.streams) { cursor in
                var entry = try cursor.first()
                while let (key, value) = entry {
                    entry = try cursor.next()
                    heads += 1
                    let name = String(decoding: key, as: UTF8.self)
                    guard value.count == StreamHead.byteCount else {
                        report.report("stream '\(name)': head of \(value.count) bytes")
                        continue
                    }
                    let head = StreamHead(bytes: value)
                    guard let actual = streams[name] else {
                        report.report("stream '\(name)' has a head but no events")
                        continue
                    }
                    if head.version != actual.version || head.lastPosition != actual.last {
                        report.report("stream '\(name)': head says version \(head.version) at \(head.lastPosition), "
                            + "records say \(actual.version) at \(actual.last)")
                    }
                }
            }
            if heads != streams.count {
                report.report("\(streams.count) streams have events but \(heads) have heads")
            }
            progress(last)
            return report
        }
    }

    public func statistics() throws(EventLogError) -> LogStatistics {
        let info = store.environment.info
        return try read { txn in
            let events = try txn.count(store.events)
            var first: Int64?
            var last: Int64?
            try txn.withCursor(store.events) { cursor in
                if let (key, value) = try cursor.first() {
                    first = try EventView(position: UInt64(bigEndian: key.loadUnaligned(as: UInt64.self)), bytes: value).recordedAt
                }
                if let (key, value) = try cursor.last() {
                    last = try EventView(position: UInt64(bigEndian: key.loadUnaligned(as: UInt64.self)), bytes: value).recordedAt
                }
            }
            return LogStatistics(
                events: events, streams: try txn.count(store.streams), lastPosition: try store.lastPosition(txn),
                firstRecordedAt: first, lastRecordedAt: last, fileBytes: (info.lastPageNumber + 1) * info.pageSize,
                mapBytes: info.mapSize, pageSize: info.pageSize)
        }
    }
}
