public import SmartContentDomain

/// What a channel that posts text will post for a content: shown when scheduling and
/// publishing, so the author sees the cut before it goes out.
public struct PostPreview: Hashable, Sendable, Codable {
    public var channelId: ChannelID
    public var text: String
    /// As the network counts them (``PostText/count(_:)``).
    public var characters: Int
    public var limit: Int
    /// Set when the content (edited since) can no longer be posted: `text` is then the
    /// title, which alone is over the limit.
    public var problem: String?

    public init(channelId: ChannelID, text: String, characters: Int, limit: Int, problem: String? = nil) {
        self.channelId = channelId
        self.text = text
        self.characters = characters
        self.limit = limit
        self.problem = problem
    }
}

/// A content that cannot be posted within a channel's character limit.
public struct PostTooLong: Error, Hashable, Sendable, CustomStringConvertible {
    public var limit: Int
    /// Of the shortest text the rule allows (the title alone).
    public var characters: Int
    public var reason: String

    public init(limit: Int, characters: Int, reason: String) {
        self.limit = limit
        self.characters = characters
        self.reason = reason
    }

    public var description: String { reason }
}
