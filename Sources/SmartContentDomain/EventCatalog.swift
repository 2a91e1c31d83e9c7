public import EventLog
public import Foundation

/// Turns stored and wire events into ``DomainEvent``s and back, upcasting older schema
/// versions. An unknown type or version is an error, never silently dropped.
public enum EventCatalog {
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        case unknownType(String)
        case unsupportedSchemaVersion(type: String, version: UInt16, current: UInt16)
        case malformedPayload(type: String, reason: String)
        case unexpectedPayloadFormat(type: String, format: PayloadFormat)

        public var description: String {
            switch self {
            case .unknownType(let type): "unknown event type '\(type)'"
            case .unsupportedSchemaVersion(let type, let version, let current):
                "\(type) schema version \(version) is not supported (current: \(current))"
            case .malformedPayload(let type, let reason): "malformed \(type) payload: \(reason)"
            case .unexpectedPayloadFormat(let type, let format): "\(type) payload has unexpected format \(format)"
            }
        }
    }

    struct Entry: Sendable {
        let current: UInt16
        let decodeBinary: @Sendable (UInt16, inout BinaryReader) throws(Failure) -> DomainEvent
        let decodeJSON: @Sendable (UInt16, Data) throws(Failure) -> DomainEvent
    }

    /// Readers of schema versions older than the current one, per type.
    static let binaryUpcasters: [String: [UInt16: @Sendable (inout BinaryReader) throws(BinaryDecodingError) -> DomainEvent]] = [
        EngagementRecorded.eventType: [1: { reader throws(BinaryDecodingError) in
            try EngagementRecorded.Version1(from: &reader).upcast.event
        }],
        ContentRefined.eventType: [1: { reader throws(BinaryDecodingError) in
            try ContentRefined.Version1(from: &reader).upcast.event
        }],
        ContentScheduled.eventType: [1: { reader throws(BinaryDecodingError) in
            try ContentScheduled.Version1(from: &reader).upcast.event
        }],
        ScheduleUpdated.eventType: [1: { reader throws(BinaryDecodingError) in
            try ScheduleUpdated.Version1(from: &reader).upcast.event
        }],
    ]

    static let entries: [String: Entry] = {
        var entries: [String: Entry] = [:]
        for type in payloadTypes { entries[type.eventType] = entry(for: type) }
        return entries
    }()

    /// The entries by type name bytes, so decoding a stored event needs no `String` for
    /// its type: a linear scan over 33 short names, checked by length first, engagement
    /// (most of any log) first of all.
    static let entriesByBytes: [(name: [UInt8], type: String, entry: Entry)] = {
        let engagement = payloadTypes.filter { $0.eventType == EngagementRecorded.eventType }
        let others = payloadTypes.filter { $0.eventType != EngagementRecorded.eventType }
        return (engagement + others).map { (Array($0.eventType.utf8), $0.eventType, entries[$0.eventType]!) }
    }()

    /// Engagement's place in ``entriesByBytes``.
    static let engagementEntryIndex = 0

    private static let engagementName: StaticString = "EngagementRecorded"

    @inline(__always)
    static func isEngagement(_ typeBytes: UnsafeRawBufferPointer) -> Bool {
        typeBytes.count == engagementName.utf8CodeUnitCount
            && memcmp(typeBytes.baseAddress!, engagementName.utf8Start, typeBytes.count) == 0
    }

    /// Engagement, most of any log, in its current version: decoded without the table's
    /// closures, whose retains and releases cost about as much as the decoding.
    static func decodeEngagement(_ payload: UnsafeRawBufferPointer) throws(Failure) -> DomainEvent {
        var reader = BinaryReader(payload)
        let event: EngagementRecorded
        do {
            event = try EngagementRecorded(from: &reader)
        } catch {
            throw .malformedPayload(type: EngagementRecorded.eventType, reason: error.description)
        }
        guard reader.isAtEnd else {
            throw .malformedPayload(type: EngagementRecorded.eventType, reason: "trailing bytes after the payload")
        }
        return .engagementRecorded(event)
    }

    static func entry(typeBytes: UnsafeRawBufferPointer) -> Entry? {
        entryIndex(typeBytes: typeBytes).map { entriesByBytes[$0].entry }
    }

    /// Where the type named by `typeBytes` is in ``entriesByBytes``.
    static func entryIndex(typeBytes: UnsafeRawBufferPointer) -> Int? {
        guard let wanted = typeBytes.baseAddress else { return nil }
        for (index, candidate) in entriesByBytes.enumerated() where candidate.name.count == typeBytes.count {
            if candidate.name.withUnsafeBytes({ memcmp($0.baseAddress!, wanted, typeBytes.count) }) == 0 { return index }
        }
        return nil
    }

    private static func entry<T: DomainEventPayload>(for _: T.Type) -> Entry {
        let upcasters = binaryUpcasters[T.eventType] ?? [:]
        return Entry(
            current: T.schemaVersion,
            decodeBinary: { version, reader throws(Failure) in
                do {
                    let event: DomainEvent
                    if version == T.schemaVersion {
                        event = try T(from: &reader).event
                    } else if let upcast = upcasters[version] {
                        event = try upcast(&reader)
                    } else {
                        throw Failure.unsupportedSchemaVersion(type: T.eventType, version: version, current: T.schemaVersion)
                    }
                    guard reader.isAtEnd else {
                        throw Failure.malformedPayload(type: T.eventType, reason: "trailing bytes after the payload")
                    }
                    return event
                } catch let error as BinaryDecodingError {
                    throw Failure.malformedPayload(type: T.eventType, reason: error.description)
                } catch let error as Failure {
                    throw error
                } catch {
                    throw Failure.malformedPayload(type: T.eventType, reason: "\(error)")
                }
            },
            decodeJSON: { version, data throws(Failure) in
                guard version >= 1, version <= T.schemaVersion else {
                    throw Failure.unsupportedSchemaVersion(type: T.eventType, version: version, current: T.schemaVersion)
                }
                // Older JSON shapes are subsets of the current one (fields only ever added
                // as optionals), so the current type reads them.
                do {
                    return try JSONDecoder().decode(T.self, from: data).event
                } catch let error as DecodingError {
                    throw Failure.malformedPayload(type: T.eventType, reason: describe(error))
                } catch {
                    throw Failure.malformedPayload(type: T.eventType, reason: "\(error)")
                }
            })
    }

    /// The current schema version of `type`, or `nil` for a type outside the catalog.
    public static func currentSchemaVersion(of type: String) -> UInt16? { entries[type]?.current }

    public static var eventTypes: [String] { payloadTypes.map { $0.eventType } }

    // MARK: Binary (on disk)

    public static func encodeBinary(_ event: DomainEvent) -> [UInt8] {
        var writer = BinaryWriter()
        event.encodeBinary(to: &writer)
        return writer.bytes
    }

    public static func decode(type: String, schemaVersion: UInt16, binary: UnsafeRawBufferPointer) throws(Failure) -> DomainEvent {
        guard let entry = entries[type] else { throw .unknownType(type) }
        var reader = BinaryReader(binary)
        return try entry.decodeBinary(schemaVersion, &reader)
    }

    /// Decodes a stored event, whichever payload format it was written in.
    public static func decode(_ view: EventView) throws(Failure) -> DomainEvent {
        if view.payloadFormat == .binary, view.schemaVersion == EngagementRecorded.schemaVersion,
           isEngagement(view.typeBytes) {
            return try decodeEngagement(view.payloadBytes)
        }
        if view.payloadFormat == .binary, let entry = entry(typeBytes: view.typeBytes) {
            var reader = BinaryReader(view.payloadBytes)
            return try entry.decodeBinary(view.schemaVersion, &reader)
        }
        let type = view.type
        switch view.payloadFormat {
        case .binary: return try decode(type: type, schemaVersion: view.schemaVersion, binary: view.payloadBytes)
        case .json: return try decode(type: type, schemaVersion: view.schemaVersion, json: Data(view.payloadBytes))
        default: throw .unexpectedPayloadFormat(type: type, format: view.payloadFormat)
        }
    }

    public static func decode(_ event: RecordedEvent) throws(Failure) -> DomainEvent {
        switch event.payloadFormat {
        case .binary:
            let result = event.payload.withUnsafeBytes { bytes in
                Result { () throws(Failure) -> DomainEvent in
                    try decode(type: event.type, schemaVersion: event.schemaVersion, binary: bytes)
                }
            }
            return try result.get()
        case .json: return try decode(type: event.type, schemaVersion: event.schemaVersion, json: Data(event.payload))
        default: throw .unexpectedPayloadFormat(type: event.type, format: event.payloadFormat)
        }
    }

    // MARK: JSON (the wire)

    public static func decode(type: String, schemaVersion: UInt16, json: Data) throws(Failure) -> DomainEvent {
        guard let entry = entries[type] else { throw .unknownType(type) }
        return try entry.decodeJSON(schemaVersion, json)
    }

    /// The event's `data` object, with DESIGN's field names.
    public static func encodeJSON(_ event: DomainEvent) -> Data {
        let encoder = JSONEncoder()
        // Sorted keys: the same event always renders to the same bytes.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(AnyPayload(event.payload))
        } catch {
            preconditionFailure("catalog events always encode to JSON: \(error)")
        }
    }

    private struct AnyPayload: Encodable {
        let payload: any DomainEventPayload
        init(_ payload: any DomainEventPayload) { self.payload = payload }
        func encode(to encoder: any Encoder) throws { try payload.encode(to: encoder) }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "\(parent.isEmpty ? "" : parent + ".")\(key.stringValue): is required"
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(type), found null"
        case .dataCorrupted(let context):
            return path(context).isEmpty ? context.debugDescription : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
