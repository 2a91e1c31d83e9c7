public enum EngagementKind: String, Codable, Sendable, CaseIterable, BinaryCodable {
    case view, click, share, conversion, engagement

    /// One byte on disk (schema version 2): engagement is most of the log, and a byte
    /// decodes without allocating a string.
    public func encode(to writer: inout BinaryWriter) { writer.write(rawCode) }

    /// The byte that stands for the kind on disk.
    var rawCode: UInt8 {
        switch self {
        case .view: 0
        case .click: 1
        case .share: 2
        case .conversion: 3
        case .engagement: 4
        }
    }

    public init(from reader: inout BinaryReader) throws(BinaryDecodingError) {
        switch try reader.readByte() {
        case 0: self = .view
        case 1: self = .click
        case 2: self = .share
        case 3: self = .conversion
        case 4: self = .engagement
        default: throw BinaryDecodingError(offset: reader.offset, reason: "unknown engagement kind")
        }
    }

    /// Version 1 wrote the kind as its name.
    static func readName(from reader: inout BinaryReader) throws(BinaryDecodingError) -> EngagementKind {
        let name = try reader.read(String.self)
        guard let kind = EngagementKind(rawValue: name) else {
            throw BinaryDecodingError(offset: reader.offset, reason: "unknown engagement kind '\(name)'")
        }
        return kind
    }
}

/// A reader engaged with content. Schema version 2 added `value`; version 1 records are
/// upcast with no value (which counts as 1).
public struct EngagementRecorded: DomainEventPayload {
    public static let eventType = "EngagementRecorded"
    public static let schemaVersion: UInt16 = 2
    public var contentId: ContentID
    public var kind: EngagementKind
    public var userId: ReaderID?
    public var channel: String?
    public var occurredAt: Instant
    /// How much this engagement counts (a conversion's revenue, say); `nil` counts as 1.
    public var value: Double?

    public init(contentId: ContentID, kind: EngagementKind, userId: ReaderID? = nil, channel: String? = nil,
                occurredAt: Instant, value: Double? = nil) {
        self.contentId = contentId
        self.kind = kind
        self.userId = userId
        self.channel = channel
        self.occurredAt = occurredAt
        self.value = value
    }

    /// The range `value` must fall in: what the counters can hold without overflow.
    public static let valueRange: ClosedRange<Double> = 0...1e12

    /// Decodes the wire format, refusing values the read models could not count.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        contentId = try container.decode(ContentID.self, forKey: .contentId)
        kind = try container.decode(EngagementKind.self, forKey: .kind)
        userId = try container.decodeIfPresent(ReaderID.self, forKey: .userId)
        channel = try container.decodeIfPresent(String.self, forKey: .channel)
        occurredAt = try container.decode(Instant.self, forKey: .occurredAt)
        value = try container.decodeIfPresent(Double.self, forKey: .value)
        if let value, !(value.isFinite && Self.valueRange.contains(value)) {
            throw DecodingError.dataCorruptedError(forKey: .value, in: container,
                                                   debugDescription: "value must be a number from 0 to 10^12")
        }
    }

    public var effectiveValue: Double { value ?? 1 }
    public var stream: String { Streams.engagement(contentId) }
    public var subject: String? { userId?.rawValue }
    public var event: DomainEvent { .engagementRecorded(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(contentId); w.write(kind); w.write(userId); w.write(channel); w.write(occurredAt); w.write(value)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        contentId = try r.read(); kind = try r.read(); userId = try r.read(); channel = try r.read()
        occurredAt = try r.read(); value = try r.read()
    }

    /// Version 1, as it was written before `value` existed.
    struct Version1: BinaryCodable {
        var contentId: ContentID
        var kind: EngagementKind
        var userId: ReaderID?
        var channel: String?
        var occurredAt: Instant

        func encode(to w: inout BinaryWriter) {
            w.write(contentId); w.write(kind.rawValue); w.write(userId); w.write(channel); w.write(occurredAt)
        }
        init(contentId: ContentID, kind: EngagementKind, userId: ReaderID?, channel: String?, occurredAt: Instant) {
            self.contentId = contentId
            self.kind = kind
            self.userId = userId
            self.channel = channel
            self.occurredAt = occurredAt
        }
        init(from r: inout BinaryReader) throws(BinaryDecodingError) {
            contentId = try r.read(); kind = try EngagementKind.readName(from: &r); userId = try r.read()
            channel = try r.read(); occurredAt = try r.read()
        }

        var upcast: EngagementRecorded {
            EngagementRecorded(contentId: contentId, kind: kind, userId: userId, channel: channel, occurredAt: occurredAt)
        }
    }
}
