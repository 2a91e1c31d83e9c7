public import SmartContentDomain

/// An event as projections see it: decoded once, with where and when it was recorded.
public struct ProjectedEvent: Sendable, Hashable {
    public var position: UInt64
    public var recordedAt: Instant
    /// Who caused it (`metadata.actor`), `nil` when unknown.
    public var actor: String?
    public var event: DomainEvent

    public init(position: UInt64, recordedAt: Instant, actor: String?, event: DomainEvent) {
        self.position = position
        self.recordedAt = recordedAt
        self.actor = actor
        self.event = event
    }
}
