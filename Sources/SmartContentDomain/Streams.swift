/// The streams of the catalog: `<category>-<id>` (`content-cnt_…`), and the one
/// `recommendations` stream of model training. Every stream name is spelt here: they are
/// the log's keys on disk, so a name changed in one place only would split a stream in two.
public enum Streams {
    /// A user's account: registration, profile, role, logins and password.
    public static let user = StreamCategory("user")
    /// A workspace and its members.
    public static let workspace = StreamCategory("workspace")
    /// A person's erasure (`SubjectErased`), by user or reader id.
    public static let subject = StreamCategory("subject")
    /// A piece of content: created, versions, refinements, deletion, collaborators, publications.
    public static let content = StreamCategory("content")
    public static let schedule = StreamCategory("schedule")
    public static let channel = StreamCategory("channel")
    /// A distribution job and its delivery attempts.
    public static let distribution = StreamCategory("distribution")
    /// The engagement recorded for one piece of content.
    public static let engagement = StreamCategory("engagement")
    public static let audience = StreamCategory("audience")
    public static let abtest = StreamCategory("abtest")
    /// An integrator's webhook subscription.
    public static let webhook = StreamCategory("webhook")

    public static let categories = [user, workspace, subject, content, schedule, channel, distribution, engagement,
                                    audience, abtest, webhook].map(\.name)
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

/// The streams of one kind of entity, `<name>-<id>`.
public struct StreamCategory: Sendable, Hashable {
    /// `content`.
    public let name: String
    /// `content-`: what every stream of the category starts with.
    public let prefix: String

    init(_ name: String) {
        self.name = name
        prefix = name + "-"
    }

    /// The stream of the entity `id`: `content-cnt_…`.
    public func callAsFunction(_ id: some PrefixedID) -> String { prefix + id.rawValue }

    /// The stream of an id that is not typed (a subject may be a user or a reader).
    public func callAsFunction(_ id: String) -> String { prefix + id }

    /// The id of `stream` when it belongs to this category (`cnt_1` of `content-cnt_1`).
    public func id(of stream: String) -> Substring? {
        stream.hasPrefix(prefix) ? stream.dropFirst(prefix.count) : nil
    }
}

extension EventCatalog {
    /// The names of every event type of the catalog.
    public static let typeNames: Set<String> = Set(payloadTypes.map { $0.eventType })
}
