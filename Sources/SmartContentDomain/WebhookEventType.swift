import Foundation

/// The event types integrators subscribe to (`POST /v1/webhooks`): stable dotted names
/// over the catalog's events, so the log's type names can evolve without breaking them.
///
/// A subscription lists types (`content.published`), a category's wildcard
/// (`content.*`) or `*` for every type. The `notification.*` types address a person (the
/// content's author, the schedule's or channel's creator): a subscription to them is the
/// workspace's notification webhook.
public enum WebhookEventType {
    /// Every type that can be delivered, by category.
    public static let all: [String] = [
        "content.created", "content.updated", "content.refined", "content.deleted", "content.published",
        "schedule.created", "schedule.updated", "schedule.cancelled", "schedule.fired", "schedule.missed",
        "distribution.requested", "distribution.retrying", "distribution.failed", "distribution.dead_lettered",
        "channel.connected", "channel.disconnected", "channel.paused", "channel.resumed",
        "notification.content_published", "notification.schedule_missed", "notification.distribution_dead_lettered",
        "notification.channel_paused",
    ]

    public static let categories = ["content", "schedule", "distribution", "channel", "notification"]

    /// At most this many entries in one subscription.
    public static let maxPerSubscription = 50

    public static func isNotification(_ type: String) -> Bool { type.hasPrefix("notification.") }

    /// The types `event` is delivered as: none for most of the log (users, engagement,
    /// the webhooks' own events), one for most of the rest, and a notification beside it
    /// for what its author must hear of.
    public static func types(of event: DomainEvent) -> [String] {
        switch event {
        case .contentCreated: ["content.created"]
        case .contentUpdated: ["content.updated"]
        case .contentRefined: ["content.refined"]
        case .contentDeleted: ["content.deleted"]
        case .contentPublished: ["content.published", "notification.content_published"]
        case .contentScheduled: ["schedule.created"]
        case .scheduleUpdated: ["schedule.updated"]
        case .scheduleCancelled: ["schedule.cancelled"]
        case .scheduleFired: ["schedule.fired"]
        case .scheduleMissed: ["schedule.missed", "notification.schedule_missed"]
        case .distributionRequested: ["distribution.requested"]
        case .distributionAttemptFailed(let e): [e.nextAttemptAt == nil ? "distribution.failed" : "distribution.retrying"]
        case .distributionDeadLettered: ["distribution.dead_lettered", "notification.distribution_dead_lettered"]
        case .channelConnected: ["channel.connected"]
        case .channelDisconnected: ["channel.disconnected"]
        case .channelPaused: ["channel.paused", "notification.channel_paused"]
        case .channelResumed: ["channel.resumed"]
        default: []
        }
    }

    /// The patterns trimmed and without duplicates, in the order given.
    ///
    /// - Throws: ``DomainError`` invalid parameters for an empty list, too many entries,
    ///   or an entry that is neither a type of ``all``, `<category>.*` nor `*`.
    public static func validate(_ patterns: [String]) throws(DomainError) -> [String] {
        var valid: [String] = []
        for pattern in patterns {
            let trimmed = pattern.trimmingCharacters(in: .whitespaces)
            guard isPattern(trimmed) else {
                throw DomainError(.invalidParameters,
                                  "unknown event type '\(pattern.prefix(100))': use one of \(all.joined(separator: ", ")), "
                                      + "a category's wildcard (\(categories.map { $0 + ".*" }.joined(separator: ", "))) or *",
                                  details: ["field": "eventTypes", "eventType": String(pattern.prefix(100))])
            }
            if !valid.contains(trimmed) { valid.append(trimmed) }
        }
        guard !valid.isEmpty else { throw .invalid("eventTypes", "eventTypes must name at least one event type") }
        guard valid.count <= maxPerSubscription else {
            throw .invalid("eventTypes", "eventTypes must have at most \(maxPerSubscription) entries")
        }
        return valid
    }

    static func isPattern(_ pattern: String) -> Bool {
        if pattern == "*" || all.contains(pattern) { return true }
        guard pattern.hasSuffix(".*") else { return false }
        return categories.contains(String(pattern.dropLast(2)))
    }

    /// Whether any of `patterns` asks for `type`.
    public static func matches(_ patterns: [String], _ type: String) -> Bool {
        patterns.contains { pattern in
            pattern == "*" || pattern == type
                || (pattern.hasSuffix(".*") && type.hasPrefix(pattern.dropLast()))
        }
    }
}
