public import EventLog
import Foundation
public import SmartContentDomain
import SmartContentProjections

extension SmartContentEngine {
    /// One engagement to record; `eventId` makes a retry harmless.
    public struct Engagement: Sendable {
        public var contentId: ContentID
        public var kind: EngagementKind
        public var userId: ReaderID?
        public var channel: String?
        public var occurredAt: Instant?
        public var value: Double?
        public var eventId: EventID?

        public init(contentId: ContentID, kind: EngagementKind, userId: ReaderID? = nil, channel: String? = nil,
                    occurredAt: Instant? = nil, value: Double? = nil, eventId: EventID? = nil) {
            self.contentId = contentId
            self.kind = kind
            self.userId = userId
            self.channel = channel
            self.occurredAt = occurredAt
            self.value = value
            self.eventId = eventId
        }
    }

    public static let maxEngagementBatch = 1000

    /// Records a batch of engagement atomically (up to 1000). Content must exist in the
    /// actor's workspace and not be deleted (engagement with deleted content is refused,
    /// as absent: it would rank content no one can read). `occurredAt` may be at most
    /// ``Configuration/maxClockSkew`` ahead of the engine's clock. Returns how many were
    /// new and the position reached.
    @discardableResult
    public func recordEngagement(_ engagements: [Engagement], by actor: Actor) async throws -> Written<Int> {
        try actor.requireWriter("record engagement")
        guard !engagements.isEmpty, engagements.count <= Self.maxEngagementBatch else {
            throw DomainError.invalid("events", "a batch holds 1 to \(Self.maxEngagementBatch) events")
        }
        let now = self.now
        let contents = Set(engagements.map(\.contentId))
        let head = log.head.head
        let unknown = try await read(ContentProjection.self, atLeast: head) { queries in
            try contents.filter { id in
                guard let content = try queries.content(id, in: actor.workspaceId) else { return true }
                return content.status == .deleted
            }
        }
        if let missing = unknown.sorted().first {
            throw DomainError(.notFound, "content \(missing) was not found", details: ["contentId": missing.rawValue])
        }
        let skew = configuration.maxClockSkew.components.seconds * 1000
        let latest = now.adding(milliseconds: skew)
        for (index, engagement) in engagements.enumerated() {
            if let at = engagement.occurredAt, at > latest {
                throw DomainError.invalid("events[\(index)].occurredAt",
                                          "occurredAt \(at.iso8601) is more than \(skew / 1000) seconds after the server's clock "
                                              + "(\(now.iso8601)): engagement cannot happen in the future")
            }
            if let value = engagement.value, !value.isFinite || value < 0 || value > 1e12 {
                throw DomainError.invalid("events[\(index)].value", "value must be a finite number from 0 to 10^12")
            }
            if let channel = engagement.channel, channel.isEmpty || channel.count > 64 {
                throw DomainError.invalid("events[\(index)].channel", "channel must be 1 to 64 characters")
            }
        }
        // A retry of an event that took "now" as its time must carry the time stored the
        // first time, or it would look like another event under the same id.
        let retried = engagements.compactMap { $0.occurredAt == nil ? $0.eventId : nil }
        let storedTimes: [EventID: Instant] = retried.isEmpty ? [:] : try await log.offload {
            try self.log.withSnapshot { snapshot in
                var times: [EventID: Instant] = [:]
                for id in retried {
                    if let view = try snapshot.event(id: id), case .engagementRecorded(let stored)? = try? EventCatalog.decode(view) {
                        times[id] = stored.occurredAt
                    }
                }
                return times
            }
        }
        let recorded = engagements.map {
            EngagementRecorded(contentId: $0.contentId, kind: $0.kind, userId: $0.userId, channel: $0.channel,
                               occurredAt: $0.occurredAt ?? $0.eventId.flatMap { storedTimes[$0] } ?? now,
                               value: $0.value).event
        }
        // Reader ids that could identify someone reach the log as pseudonyms only.
        let events = recorded.contains(where: \.namesReadersInClear)
            ? try await log.offload { try self.vault.seal(recorded) } : recorded
        let ids = engagements.map { $0.eventId ?? EventID() }
        guard Set(ids).count == ids.count else { throw DomainError.invalid("eventId", "an eventId appears twice") }
        var metadata = EventMetadata()
        metadata.actor = actor.userId.rawValue
        metadata.workspaceID = actor.workspaceId.rawValue
        var appends: [StreamAppend] = []
        for (event, id) in zip(events, ids) {
            appends.append(StreamAppend(stream: try StreamName(event.stream), events: [NewEvent(
                id: id, type: event.type, schemaVersion: event.schemaVersion, metadata: metadata,
                payloadFormat: .binary, payload: EventCatalog.encodeBinary(event), recordedAt: now.millisecondsSince1970)]))
        }
        let results: [AppendResult]
        do {
            results = try await log.append(appends, duplicates: .skipExisting)
        } catch {
            if case .eventIDConflict(let id, _, let reason) = error {
                throw DomainError(.alreadyExists, "eventId \(id) was already used for another event: \(reason)",
                                  details: ["field": "eventId"])
            }
            throw error
        }
        return Written(value: results.filter { !$0.alreadyPresent }.count, position: results.map(\.lastPosition).max() ?? 0)
    }
}
