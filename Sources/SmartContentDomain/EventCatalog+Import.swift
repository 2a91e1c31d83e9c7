public import EventLog
#if canImport(Glibc)
import Glibc
#endif

extension EventCatalog {
    /// A line of an import file, checked against the catalog.
    public struct ImportLine: Sendable {
        public var stream: StreamName
        public var expectedVersion: ExpectedVersion
        /// The event to append, its payload not yet in its stored form (``newEvent(from:encoding:)``).
        public var event: NewEvent
        /// What the line holds, upcast to the current schema version.
        public var decoded: DomainEvent
    }

    /// Reads one line of an import file: the same event as ``WireFormat/parseLine(_:)`` and
    /// ``decode(line:)`` give, or the same error. The common lines of the two most frequent
    /// types are read in place, in one pass and without Foundation (an import's cost used
    /// to be building a ``JSONValue`` tree and decoding it again); the others go that way.
    public static func importLine(_ bytes: UnsafeRawBufferPointer) throws -> ImportLine {
        if let scanned = WireFormat.scanLine(bytes), let line = scannedImportLine(scanned) { return line }
        let line = try WireFormat.parseLine(bytes)
        return ImportLine(stream: line.stream, expectedVersion: line.expectedVersion, event: line.event,
                          decoded: try decode(line: line))
    }

    /// The line read in place, `nil` when it is not of the common shape.
    static func scannedImportLine(_ line: WireFormat.ScannedLine) -> ImportLine? {
        let type: String, decoded: DomainEvent
        if JSONScanner.bytes(line.type, equal: "EngagementRecorded") {
            guard (1...EngagementRecorded.schemaVersion).contains(line.schemaVersion),
                  let engagement = EngagementRecorded(scanning: line.data),
                  isStream(line.stream, Streams.engagement, of: engagement.contentId.rawValue) else { return nil }
            (type, decoded) = (EngagementRecorded.eventType, .engagementRecorded(engagement))
        } else if JSONScanner.bytes(line.type, equal: "ContentCreated") {
            guard (1...ContentCreated.schemaVersion).contains(line.schemaVersion),
                  let created = ContentCreated(scanning: line.data),
                  isStream(line.stream, Streams.content, of: created.contentId.rawValue) else { return nil }
            (type, decoded) = (ContentCreated.eventType, .contentCreated(created))
        } else {
            return nil
        }
        let event = NewEvent(id: line.id, type: type, schemaVersion: line.schemaVersion, metadata: line.metadata,
                             payloadFormat: .json, payload: [], recordedAt: line.recordedAt)
        return ImportLine(stream: line.stream, expectedVersion: line.expectedVersion, event: event, decoded: decoded)
    }

    /// Whether `stream` is `category` followed by `id` (the event's stream), compared
    /// without building that name.
    private static func isStream(_ stream: StreamName, _ category: StreamCategory, of id: String) -> Bool {
        var name = stream.rawValue, category = category.prefix, id = id
        return name.withUTF8 { name in
            category.withUTF8 { category in
                id.withUTF8 { id in
                    name.count == category.count + id.count
                        && memcmp(name.baseAddress!, category.baseAddress!, category.count) == 0
                        && (id.isEmpty || memcmp(name.baseAddress! + category.count, id.baseAddress!, id.count) == 0)
                }
            }
        }
    }

    /// The event to append for `line`, with `event` (the line's, sealed perhaps) as its
    /// binary payload. Sealing never moves an event to another stream.
    public static func newEvent(from line: ImportLine, encoding event: DomainEvent) -> NewEvent {
        var stored = line.event
        stored.schemaVersion = event.schemaVersion
        stored.payloadFormat = .binary
        stored.payload = encodeBinary(event)
        return stored
    }
}
