/// The streams of the catalog: `<category>-<id>` (`content-cnt_…`), and the one
/// `recommendations` stream of model training.
public enum Streams {
    public static let categories = [
        "user", "workspace", "subject", "content", "schedule", "channel", "distribution", "engagement", "audience", "abtest",
        "webhook",
    ]
    public static let recommendations = "recommendations"

    /// Whether some stream of the catalog can start with `prefix` (`cont`, `content-`,
    /// `content-cnt_a`): a filter no stream can match is a typo, not an empty answer.
    public static func canStart(with prefix: String) -> Bool {
        if recommendations.hasPrefix(prefix) { return true }
        return categories.contains { category in
            let head = category + "-"
            return head.hasPrefix(prefix) || prefix.hasPrefix(head)
        }
    }
}

extension EventCatalog {
    /// The names of every event type of the catalog.
    public static let typeNames: Set<String> = Set(payloadTypes.map { $0.eventType })
}
