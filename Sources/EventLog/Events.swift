/// How an event's payload bytes are encoded. The log stores the tag and never looks inside.
public struct PayloadFormat: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// UTF-8 JSON text.
    public static let json = PayloadFormat(rawValue: 0)
    /// A compact binary encoding chosen by the layer above the log.
    public static let binary = PayloadFormat(rawValue: 1)

    public var description: String {
        switch self {
        case .json: "json"
        case .binary: "binary"
        default: "format-\(rawValue)"
        }
    }
}

/// An event to append. The log assigns its position, stream version and (unless given)
/// the time it was recorded.
public struct NewEvent: Hashable, Sendable {
    public var id: EventID
    /// The event type, e.g. `ContentCreated`: 1 to 255 bytes.
    public var type: String
    /// The version of the payload schema for this type, starting at 1.
    public var schemaVersion: UInt16
    public var metadata: EventMetadata
    public var payloadFormat: PayloadFormat
    public var payload: [UInt8]
    /// Milliseconds since 1970 UTC; `nil` means "now, when appended". Imports of an older
    /// log keep their original times.
    public var recordedAt: Int64?

    public static let maxTypeBytes = 255
    public static let maxPayloadBytes = 16 << 20

    public init(
        id: EventID = EventID(), type: String, schemaVersion: UInt16 = 1, metadata: EventMetadata = [:],
        payloadFormat: PayloadFormat = .json, payload: [UInt8], recordedAt: Int64? = nil
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.metadata = metadata
        self.payloadFormat = payloadFormat
        self.payload = payload
        self.recordedAt = recordedAt
    }

    func validate() throws(EventLogError) {
        let typeBytes = type.utf8.count
        guard typeBytes > 0, typeBytes <= Self.maxTypeBytes else {
            throw .invalidEvent("event type must be 1 to \(Self.maxTypeBytes) bytes (got \(typeBytes))")
        }
        guard schemaVersion >= 1 else { throw .invalidEvent("schema version of \(type) must be at least 1") }
        guard payload.count <= Self.maxPayloadBytes else {
            throw .invalidEvent("payload of \(payload.count) bytes exceeds \(Self.maxPayloadBytes)")
        }
        try metadata.validate()
    }
}

/// An event as stored in the log.
public struct RecordedEvent: Hashable, Sendable {
    /// Global position: dense and strictly increasing, starting at 1.
    public var position: UInt64
    public var stream: StreamName
    /// Version within the stream: dense, starting at 0.
    public var version: UInt64
    public var id: EventID
    public var type: String
    public var schemaVersion: UInt16
    /// Milliseconds since 1970 UTC.
    public var recordedAt: Int64
    public var metadata: EventMetadata
    public var payloadFormat: PayloadFormat
    public var payload: [UInt8]
}

/// What an append did to one stream.
public struct AppendResult: Hashable, Sendable {
    public var stream: StreamName
    /// Positions of the appended events (or, for a repeated append, of the original ones).
    public var firstPosition: UInt64
    public var lastPosition: UInt64
    /// The stream's version after the append: the expected version for the next one.
    public var nextExpectedVersion: UInt64
    /// `true` when every event was already in the log (an idempotent retry): nothing new was written.
    public var alreadyPresent: Bool
}

/// Events for one stream inside an atomic, possibly multi-stream, append.
public struct StreamAppend: Sendable {
    public var stream: StreamName
    public var expectedVersion: ExpectedVersion
    public var events: [NewEvent]

    public init(stream: StreamName, expectedVersion: ExpectedVersion = .any, events: [NewEvent]) {
        self.stream = stream
        self.expectedVersion = expectedVersion
        self.events = events
    }
}

/// What a stream looks like now.
public struct StreamInfo: Hashable, Sendable {
    public var stream: StreamName
    /// Version of the last event (the stream has `headVersion + 1` events).
    public var headVersion: UInt64
    public var firstPosition: UInt64
    public var lastPosition: UInt64
    /// When the first event was recorded (milliseconds since 1970 UTC).
    public var createdAt: Int64
}
