public enum EngagementKind: String, Codable, Sendable, CaseIterable, BinaryCodable {
    case view, click, share, conversion, engagement
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

    public var effectiveValue: Double { value ?? 1 }
    public var stream: String { "engagement-\(contentId)" }
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
            w.write(contentId); w.write(kind); w.write(userId); w.write(channel); w.write(occurredAt)
        }
        init(contentId: ContentID, kind: EngagementKind, userId: ReaderID?, channel: String?, occurredAt: Instant) {
            self.contentId = contentId
            self.kind = kind
            self.userId = userId
            self.channel = channel
            self.occurredAt = occurredAt
        }
        init(from r: inout BinaryReader) throws(BinaryDecodingError) {
            contentId = try r.read(); kind = try r.read(); userId = try r.read(); channel = try r.read()
            occurredAt = try r.read()
        }

        var upcast: EngagementRecorded {
            EngagementRecorded(contentId: contentId, kind: kind, userId: userId, channel: channel, occurredAt: occurredAt)
        }
    }
}
