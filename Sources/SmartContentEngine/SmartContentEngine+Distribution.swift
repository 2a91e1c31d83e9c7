import EventLog
public import SmartContentDomain
import SmartContentProjections

extension DomainEvent {
    /// Whether the event gives a distributor something to do now.
    var queuesDeliveries: Bool {
        switch self {
        case .distributionRequested, .distributionRetryRequested, .channelResumed: true
        default: false
        }
    }
}

extension SmartContentEngine {
    /// A channel just connected, with its signing secret in clear: the only time it is shown.
    public struct ConnectedChannel: Sendable {
        public var channelId: ChannelID
        /// A webhook's signing secret; nil for kinds whose credential is the user's own
        /// (a Mastodon access token is never shown back).
        public var secret: String?
        /// Why a default character limit was kept (the network could not be read).
        public var note: String?
    }

    /// Connects a webhook channel. Without a `secret`, one is generated (`whsec_…`); a
    /// given one must be in that form (``WebhookSecret/isValid(_:)``).
    @discardableResult
    public func connectChannel(name: String, url: String, secret: String? = nil, by actor: Actor) async throws
        -> Written<ConnectedChannel> {
        try await connectChannel(ChannelConnection(name: name, kind: .webhook, url: url, credential: secret), by: actor)
    }

    /// Connects a channel of any kind, as its driver (``ChannelDrivers``) checks and
    /// completes it. The credential (a secret, an access token) is stored sealed under the
    /// channel's own key, destroyed when it is disconnected.
    @discardableResult
    public func connectChannel(_ request: ChannelConnection, by actor: Actor) async throws -> Written<ConnectedChannel> {
        try actor.requireAdmin("connect channels")
        let name = try Validation.name(request.name)
        let driver = ChannelDrivers.driver(for: request.kind)
        let settings = try await driver.connect(request, using: configuration.channelTransport ?? URLSessionDeliveryTransport.shared)
        let event = ChannelConnected(channelId: .generate(), workspaceId: actor.workspaceId, name: name, kind: request.kind,
                                     url: settings.url, secret: settings.credential, connectedBy: actor.userId)
        var events = [event.event]
        if let limit = settings.characterLimit {
            events.append(ChannelCharacterLimitSet(channelId: event.channelId, characterLimit: limit,
                                                   source: settings.characterLimitSource ?? .instance, note: settings.note).event)
        }
        let position = try await append(events, by: actor.userId.rawValue, workspace: actor.workspaceId,
                                        expected: [event.stream: .noStream])
        let shown = request.kind == .webhook ? settings.credential : nil
        return Written(value: ConnectedChannel(channelId: event.channelId, secret: shown, note: settings.note), position: position)
    }

    /// The channel if it is the actor's workspace's and not disconnected.
    func liveChannel(_ id: ChannelID, of actor: Actor) async throws -> ChannelRecord {
        guard let channel = try await read(DistributionProjection.self, atLeast: log.head.head, { try $0.channel(id) }),
              channel.workspaceId == actor.workspaceId, channel.status.isLive
        else { throw DomainError.notFound("Channel", id.rawValue) }
        return channel
    }

    /// Replaces a channel's signing secret (generated unless given). Deliveries carry a
    /// signature by each of the two secrets for `overlap`, so receivers can switch over.
    public func rotateChannelSecret(_ id: ChannelID, to secret: String? = nil, overlap: Duration = .seconds(86_400),
                                    by actor: Actor) async throws -> Written<ChannelSecretRotated> {
        try actor.requireAdmin("rotate channel secrets")
        let channel = try await liveChannel(id, of: actor)
        guard channel.kind == .webhook else {
            throw DomainError(.invalidState, "channel \(id) is a \(channel.kind.rawValue) channel: it has no signing secret; "
                                  + "to change its access token, connect it again")
        }
        let secret = try secret.map(WebhookChannel.validSecret) ?? WebhookSecret.generate()
        let until = now.adding(milliseconds: overlap.milliseconds)
        let event = ChannelSecretRotated(channelId: id, secret: secret, previousSecretExpiresAt: until, rotatedBy: actor.userId)
        let position = try await append([event.event], by: actor.userId.rawValue, workspace: actor.workspaceId)
        return Written(value: event, position: position)
    }

    /// Lets a paused channel's deliveries go again.
    public func resumeChannel(_ id: ChannelID, by actor: Actor) async throws -> Written<ChannelResumed> {
        try actor.requireAdmin("resume channels")
        let channel = try await liveChannel(id, of: actor)
        guard channel.status == .paused else { throw DomainError(.invalidState, "channel \(id) is not paused") }
        let event = ChannelResumed(channelId: id, resumedBy: actor.userId)
        let position = try await append([event.event], by: actor.userId.rawValue, workspace: actor.workspaceId)
        return Written(value: event, position: position)
    }

    @discardableResult
    public func disconnectChannel(_ id: ChannelID, by actor: Actor) async throws -> Written<ChannelDisconnected> {
        try actor.requireAdmin("disconnect channels")
        _ = try await liveChannel(id, of: actor)
        // Disconnecting would leave these to fail when they fire, unnoticed until then.
        let pending = try await read(ScheduleProjection.self, atLeast: log.head.head) { try $0.pending(using: id, in: actor.workspaceId) }
        guard pending.isEmpty else {
            let ids = pending.prefix(20).map(\.scheduleId.rawValue)
            let more = pending.count > ids.count ? " and \(pending.count - ids.count) more" : ""
            throw DomainError(.invalidState, "channel \(id) is used by pending schedule\(pending.count == 1 ? "" : "s") "
                                  + "\(ids.joined(separator: ", "))\(more): cancel them or take the channel off them first",
                              details: ["schedules": ids.joined(separator: ","), "pendingSchedules": "\(pending.count)"])
        }
        let event = ChannelDisconnected(channelId: id, disconnectedBy: actor.userId)
        let position = try await append([event.event], by: actor.userId.rawValue, workspace: actor.workspaceId)
        return Written(value: event, position: position)
    }

    /// Asks for content to be delivered to channels now; the job starts `queued`.
    @discardableResult
    public func requestPublication(of contentId: ContentID, to channels: [ChannelID], by actor: Actor) async throws
        -> Written<DistributionRequested> {
        try actor.requireWriter("publish content")
        guard let content = Self.contentState(try await load(Streams.content(contentId))),
              content.workspaceId == actor.workspaceId
        else { throw DomainError.notFound("Content", contentId.rawValue) }
        guard content.status != .deleted else { throw DomainError(.invalidState, "content \(contentId) is deleted") }
        let connected = try await connectedChannels(of: actor.workspaceId)
        guard !channels.isEmpty, Set(channels).count == channels.count else {
            throw DomainError.invalid("channels", "one or more distinct channels are required")
        }
        if let unknown = channels.first(where: { !connected.contains($0) }) {
            throw DomainError(.invalidParameters, "channel \(unknown) is not connected in this workspace",
                              details: ["field": "channels", "channelId": unknown.rawValue])
        }
        try await checkPostLimits(of: content, on: channels, by: actor)
        let event = DistributionRequested(jobId: .generate(), contentId: contentId, workspaceId: actor.workspaceId,
                                          channels: channels, requestedBy: actor.userId.rawValue)
        let position = try await append([event.event], by: actor.userId.rawValue, workspace: actor.workspaceId)
        return Written(value: event, position: position)
    }

    /// Sends a job's dead-lettered and failed deliveries again, each with a fresh budget
    /// of attempts and its `webhook-id` kept. `actor` nil is the operator (the CLI).
    ///
    /// - Throws: ``DomainError`` not found for a job of another workspace; invalid state
    ///   when no delivery of the job has given up.
    public func retryDeliveries(of id: JobID, by actor: Actor?) async throws -> Written<DistributionRetryRequested> {
        try actor?.requireWriter("retry deliveries")
        let job = try await read(DistributionProjection.self, atLeast: log.head.head) { try $0.job(id) }
        guard let job, actor == nil || job.workspaceId == actor?.workspaceId else { throw DomainError.notFound("Job", id.rawValue) }
        let retried = job.deliveries.filter { $0.status == .deadLettered || $0.status == .failed }.map(\.channelId)
        guard !retried.isEmpty else {
            throw DomainError(.invalidState, "job \(id) has no dead-lettered or failed delivery to retry (it is \(job.status.rawValue))")
        }
        let event = DistributionRetryRequested(jobId: id, channels: retried, requestedBy: actor?.userId.rawValue ?? "system")
        let position = try await append([event.event], by: actor?.userId.rawValue ?? "system", workspace: job.workspaceId)
        return Written(value: event, position: position)
    }
}
