import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension SmartContentAPI {
    /// `{name, kind: "webhook", url, secret?}` or `{name, kind: "mastodon", instanceUrl, accessToken}`.
    struct ChannelBody: Decodable {
        var name: String
        var kind: ChannelKind?
        var url: String?
        var secret: String?
        var instanceUrl: String?
        var accessToken: String?

        /// The connection asked for, each kind with its own fields only: a field of
        /// another kind is a mistake worth saying, not something to drop.
        func connection() throws -> ChannelConnection {
            let kind = kind ?? .webhook
            func refuse(_ field: String, _ value: String?) throws {
                guard value == nil else { throw APIError.invalid(field, "\(field) does not apply to \(kind.rawValue) channels") }
            }
            switch kind {
            case .webhook:
                try refuse("instanceUrl", instanceUrl)
                try refuse("accessToken", accessToken)
                guard let url else { throw APIError.invalid("url", "url is required: where deliveries are posted") }
                return ChannelConnection(name: name, kind: kind, url: url, credential: secret)
            case .mastodon:
                try refuse("url", url)
                try refuse("secret", secret)
                guard let instanceUrl else {
                    throw APIError.invalid("instanceUrl", "instanceUrl is required: the instance's root URL, such as https://mastodon.social")
                }
                guard let accessToken else { throw APIError.invalid("accessToken", "accessToken is required") }
                return ChannelConnection(name: name, kind: kind, url: instanceUrl, credential: accessToken)
            }
        }
    }

    struct RotateSecretBody: Decodable {
        var secret: String?
        /// How long the previous secret still signs, in hours (default 24, at most 168).
        var overlapHours: Int?
    }

    struct PublishBody: Decodable {
        var contentId: ContentID
        var channels: [ChannelID]
    }

    /// A channel as clients see it: its signing secret only in the answer that created it,
    /// a Mastodon access token never.
    struct ChannelView: Encodable, Sendable {
        var channelId: ChannelID
        var name: String
        var kind: ChannelKind
        var url: String
        /// A Mastodon channel's instance (also its `url`).
        var instanceUrl: String?
        var characterLimit: Int?
        var characterLimitSource: CharacterLimitSource?
        /// In the answer that connected it: why a default limit was kept.
        var characterLimitNote: String?
        var status: String
        var hasSecret: Bool
        var connectedAt: Instant
        var failingSince: Instant?
        var pausedReason: String?
        var secret: String?

        init(_ record: ChannelRecord, secret: String? = nil, note: String? = nil) {
            channelId = record.channelId
            name = record.name
            kind = record.kind
            url = record.url
            instanceUrl = record.kind == .mastodon ? record.url : nil
            characterLimit = record.characterLimit
            characterLimitSource = record.characterLimitSource
            characterLimitNote = note
            status = record.status.rawValue
            hasSecret = record.secret != nil
            connectedAt = record.connectedAt
            failingSince = record.failingSince
            pausedReason = record.pausedReason
            self.secret = secret
        }
    }

    struct RotatedSecret: Encodable {
        var channelId: ChannelID
        var secret: String
        var previousSecretExpiresAt: Instant
    }

    struct Publication: Encodable {
        var jobId: JobID
        var status: String
        /// What the channels that post text will post.
        var previews: [PostPreview]
    }

    /// Channels (webhooks), publication requests and their jobs.
    func addDistributionRoutes(to v1: RouterGroup<APIContext>) {
        let distribution = v1.group("distribution")
        distribution.post("channels") { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.decode(as: ChannelBody.self, context: context)
            let connected = try await engine.connectChannel(try body.connection(), by: actor)
            let channel = try await engine.readNow(DistributionProjection.self, atLeast: connected.position) {
                try $0.channel(connected.value.channelId)
            }
            guard let channel else { throw APIError.notFound("Channel", connected.value.channelId.rawValue) }
            return try context.respond(ChannelView(channel, secret: connected.value.secret, note: connected.value.note), status: .created,
                                       position: connected.position)
        }
        distribution.post("channels/:channelId/rotate-secret") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("channelId", as: ChannelID.self, what: "Channel")
            let body = try await APIRequestDecoder().decodeIfPresent(RotateSecretBody.self, from: request, context: context)
            let hours = body?.overlapHours ?? 24
            guard (0...168).contains(hours) else { throw APIError.invalid("overlapHours", "overlapHours must be 0 to 168") }
            let rotated = try await engine.rotateChannelSecret(id, to: body?.secret, overlap: .seconds(hours * 3600), by: actor)
            return try context.respond(RotatedSecret(channelId: id, secret: rotated.value.secret,
                                                     previousSecretExpiresAt: rotated.value.previousSecretExpiresAt),
                                       position: rotated.position)
        }
        distribution.post("channels/:channelId/resume") { _, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("channelId", as: ChannelID.self, what: "Channel")
            let resumed = try await engine.resumeChannel(id, by: actor)
            let channel = try await engine.readNow(DistributionProjection.self, atLeast: resumed.position) { try $0.channel(id) }
            guard let channel else { throw APIError.notFound("Channel", id.rawValue) }
            return try context.respond(ChannelView(channel), position: resumed.position)
        }
        distribution.get("channels") { request, context -> Response in
            let actor = try context.requireActor()
            let channels = try await read(DistributionProjection.self, request, context) {
                try $0.channels(in: actor.workspaceId).map { ChannelView($0) }
            }
            return try context.respond(Page(items: channels, nextCursor: nil))
        }
        distribution.delete("channels/:channelId") { _, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("channelId", as: ChannelID.self, what: "Channel")
            return context.noContent(position: try await engine.disconnectChannel(id, by: actor).position)
        }
        distribution.post("publish") { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.decode(as: PublishBody.self, context: context)
            let requested = try await engine.requestPublication(of: body.contentId, to: body.channels, by: actor)
            let previews = try await engine.postPreviews(of: body.contentId, on: body.channels, by: actor)
            return try context.respond(Publication(jobId: requested.value.jobId, status: "queued", previews: previews),
                                       status: .accepted, position: requested.position)
        }
        distribution.get("channels/:channelId/preview") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("channelId", as: ChannelID.self, what: "Channel")
            let channel = try await read(DistributionProjection.self, request, context) { try $0.channel(id) }
            guard let channel, channel.workspaceId == actor.workspaceId, channel.status.isLive else {
                throw APIError.notFound("Channel", id.rawValue)
            }
            guard let contentText = request.query("contentId") else {
                throw APIError.invalid("contentId", "contentId is required: the content to preview")
            }
            guard let contentId = ContentID(rawValue: contentText) else {
                throw APIError.malformedID("contentId", contentText, as: ContentID.self)
            }
            guard let preview = try await engine.postPreviews(of: contentId, on: [id], by: actor).first else {
                throw APIError.invalid("channelId", "channel \(id) is a \(channel.kind.rawValue) channel: it receives the content "
                                           + "whole, there is no text to preview")
            }
            return try context.respond(preview)
        }
        distribution.get("status/:jobId") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("jobId", as: JobID.self, what: "Job")
            let job = try await read(DistributionProjection.self, request, context) { try $0.job(id) }
            guard let job, job.workspaceId == actor.workspaceId else { throw APIError.notFound("Job", id.rawValue) }
            return try context.respond(job)
        }
        distribution.post("status/:jobId/retry") { _, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("jobId", as: JobID.self, what: "Job")
            let retried = try await engine.retryDeliveries(of: id, by: actor)
            let job = try await engine.readNow(DistributionProjection.self, atLeast: retried.position) { try $0.job(id) }
            guard let job else { throw APIError.notFound("Job", id.rawValue) }
            return try context.respond(job, status: .accepted, position: retried.position)
        }
    }
}
