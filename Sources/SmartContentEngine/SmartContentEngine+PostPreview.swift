public import SmartContentDomain
import SmartContentProjections

extension SmartContentEngine {
    /// What each channel that posts text (Mastodon) would post for a content, as it is
    /// now; webhooks receive the content whole and have none.
    ///
    /// - Throws: ``DomainError`` not found for a content or channel outside the actor's
    ///   workspace.
    public func postPreviews(of contentId: ContentID, on channels: [ChannelID], by actor: Actor) async throws -> [PostPreview] {
        guard let content = Self.contentState(try await load(Streams.content(contentId))), content.workspaceId == actor.workspaceId
        else { throw DomainError.notFound("Content", contentId.rawValue) }
        return try await postPreviews(of: ContentView(content), on: channels, strict: false)
    }

    /// The previews of `content` on those of `channels` that are live in its workspace
    /// (others are left to the rules that refuse them). `strict`: refuse content that
    /// cannot be posted within a channel's limit; otherwise show why in the preview.
    ///
    /// - Throws: ``DomainError`` invalid parameters (400) naming the channel and its limit.
    func postPreviews(of content: ContentView, on channels: [ChannelID], strict: Bool) async throws -> [PostPreview] {
        let records = try await read(DistributionProjection.self, atLeast: log.head.head) { queries in
            try channels.compactMap { try queries.channel($0) }
        }
        var previews: [PostPreview] = []
        for channel in records where channel.status.isLive && channel.workspaceId == content.workspaceId {
            do throws(PostTooLong) {
                if let preview = try ChannelDrivers.driver(for: channel.kind).preview(of: content, on: channel) {
                    previews.append(preview)
                }
            } catch {
                guard !strict else {
                    throw DomainError(
                        .invalidParameters,
                        "content \(content.contentId) cannot be posted to channel \(channel.channelId) (\(channel.kind.rawValue), "
                            + "limit \(error.limit) characters): \(error.reason)",
                        details: ["field": "channels", "channelId": channel.channelId.rawValue, "limit": "\(error.limit)",
                                  "characters": "\(error.characters)"])
                }
                previews.append(PostPreview(channelId: channel.channelId, text: content.title, characters: error.characters,
                                            limit: error.limit, problem: error.reason))
            }
        }
        return previews
    }

    /// Refuses (400) content that a channel could not post within its limit.
    func checkPostLimits(of content: ContentState?, on channels: [ChannelID], by actor: Actor) async throws {
        guard let content, content.workspaceId == actor.workspaceId, content.status != .deleted else { return }
        _ = try await postPreviews(of: ContentView(content), on: channels, strict: true)
    }
}
