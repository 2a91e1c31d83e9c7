public struct ContentScheduled: DomainEventPayload {
    public static let eventType = "ContentScheduled"
    /// 2: `localPublishTime` and `recurrence`.
    public static let schemaVersion: UInt16 = 2
    public var scheduleId: ScheduleID
    public var contentId: ContentID
    public var workspaceId: WorkspaceID
    /// The first occurrence, resolved to UTC.
    public var publishTime: Instant
    /// IANA time zone the publish time was chosen in, e.g. `Europe/Paris`.
    public var timezone: String
    public var channels: [ChannelID]
    public var scheduledBy: UserID
    /// The wall-clock time asked for, when it was given without an offset: what a
    /// recurrence keeps across daylight-saving changes.
    public var localPublishTime: LocalDateTime?
    public var recurrence: Recurrence?

    public init(scheduleId: ScheduleID, contentId: ContentID, workspaceId: WorkspaceID, publishTime: Instant,
                timezone: String, channels: [ChannelID], scheduledBy: UserID, localPublishTime: LocalDateTime? = nil,
                recurrence: Recurrence? = nil) {
        self.scheduleId = scheduleId
        self.contentId = contentId
        self.workspaceId = workspaceId
        self.publishTime = publishTime
        self.timezone = timezone
        self.channels = channels
        self.scheduledBy = scheduledBy
        self.localPublishTime = localPublishTime
        self.recurrence = recurrence
    }

    public var stream: String { Streams.schedule(scheduleId) }
    public var event: DomainEvent { .contentScheduled(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(scheduleId); w.write(contentId); w.write(workspaceId); w.write(publishTime); w.write(timezone)
        w.write(channels); w.write(scheduledBy); w.write(localPublishTime); w.write(recurrence)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        scheduleId = try r.read(); contentId = try r.read(); workspaceId = try r.read(); publishTime = try r.read()
        timezone = try r.read(); channels = try r.read(); scheduledBy = try r.read(); localPublishTime = try r.read()
        recurrence = try r.read()
    }

    /// Schema version 1: a one-off at an instant.
    struct Version1: BinaryCodable {
        var scheduleId: ScheduleID
        var contentId: ContentID
        var workspaceId: WorkspaceID
        var publishTime: Instant
        var timezone: String
        var channels: [ChannelID]
        var scheduledBy: UserID

        func encode(to w: inout BinaryWriter) {
            w.write(scheduleId); w.write(contentId); w.write(workspaceId); w.write(publishTime); w.write(timezone)
            w.write(channels); w.write(scheduledBy)
        }
        init(from r: inout BinaryReader) throws(BinaryDecodingError) {
            scheduleId = try r.read(); contentId = try r.read(); workspaceId = try r.read(); publishTime = try r.read()
            timezone = try r.read(); channels = try r.read(); scheduledBy = try r.read()
        }

        var upcast: ContentScheduled {
            ContentScheduled(scheduleId: scheduleId, contentId: contentId, workspaceId: workspaceId, publishTime: publishTime,
                             timezone: timezone, channels: channels, scheduledBy: scheduledBy)
        }
    }
}

public struct ScheduleUpdated: DomainEventPayload {
    public static let eventType = "ScheduleUpdated"
    /// 2: `localPublishTime` and `recurrence`.
    public static let schemaVersion: UInt16 = 2
    public var scheduleId: ScheduleID
    public var publishTime: Instant
    public var timezone: String
    public var channels: [ChannelID]
    public var updatedBy: UserID
    /// As in ``ContentScheduled``: the schedule's state after the update.
    public var localPublishTime: LocalDateTime?
    public var recurrence: Recurrence?

    public init(scheduleId: ScheduleID, publishTime: Instant, timezone: String, channels: [ChannelID], updatedBy: UserID,
                localPublishTime: LocalDateTime? = nil, recurrence: Recurrence? = nil) {
        self.scheduleId = scheduleId
        self.publishTime = publishTime
        self.timezone = timezone
        self.channels = channels
        self.updatedBy = updatedBy
        self.localPublishTime = localPublishTime
        self.recurrence = recurrence
    }

    public var stream: String { Streams.schedule(scheduleId) }
    public var event: DomainEvent { .scheduleUpdated(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(scheduleId); w.write(publishTime); w.write(timezone); w.write(channels); w.write(updatedBy)
        w.write(localPublishTime); w.write(recurrence)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        scheduleId = try r.read(); publishTime = try r.read(); timezone = try r.read(); channels = try r.read()
        updatedBy = try r.read(); localPublishTime = try r.read(); recurrence = try r.read()
    }

    /// Schema version 1: a one-off at an instant.
    struct Version1: BinaryCodable {
        var scheduleId: ScheduleID
        var publishTime: Instant
        var timezone: String
        var channels: [ChannelID]
        var updatedBy: UserID

        func encode(to w: inout BinaryWriter) {
            w.write(scheduleId); w.write(publishTime); w.write(timezone); w.write(channels); w.write(updatedBy)
        }
        init(from r: inout BinaryReader) throws(BinaryDecodingError) {
            scheduleId = try r.read(); publishTime = try r.read(); timezone = try r.read(); channels = try r.read()
            updatedBy = try r.read()
        }

        var upcast: ScheduleUpdated {
            ScheduleUpdated(scheduleId: scheduleId, publishTime: publishTime, timezone: timezone, channels: channels,
                            updatedBy: updatedBy)
        }
    }
}

/// The scheduler fired an occurrence of a schedule: appended with the schedule stream's
/// expected version, in one atomic append with the ``DistributionRequested`` of `jobId`,
/// so an occurrence fires at most once whoever races for it, and a crash leaves both or
/// neither.
public struct ScheduleFired: DomainEventPayload {
    public static let eventType = "ScheduleFired"
    public var scheduleId: ScheduleID
    public var contentId: ContentID
    public var workspaceId: WorkspaceID
    /// The occurrence fired: its publish time.
    public var occurrence: Instant
    public var firedAt: Instant
    public var jobId: JobID
    /// The next occurrence of a recurring schedule; nil when this was the last.
    public var nextPublishTime: Instant?
    public var nextLocalPublishTime: LocalDateTime?

    public init(scheduleId: ScheduleID, contentId: ContentID, workspaceId: WorkspaceID, occurrence: Instant, firedAt: Instant,
                jobId: JobID, nextPublishTime: Instant? = nil, nextLocalPublishTime: LocalDateTime? = nil) {
        self.scheduleId = scheduleId
        self.contentId = contentId
        self.workspaceId = workspaceId
        self.occurrence = occurrence
        self.firedAt = firedAt
        self.jobId = jobId
        self.nextPublishTime = nextPublishTime
        self.nextLocalPublishTime = nextLocalPublishTime
    }

    public var stream: String { Streams.schedule(scheduleId) }
    public var event: DomainEvent { .scheduleFired(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(scheduleId); w.write(contentId); w.write(workspaceId); w.write(occurrence); w.write(firedAt); w.write(jobId)
        w.write(nextPublishTime); w.write(nextLocalPublishTime)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        scheduleId = try r.read(); contentId = try r.read(); workspaceId = try r.read(); occurrence = try r.read()
        firedAt = try r.read(); jobId = try r.read(); nextPublishTime = try r.read(); nextLocalPublishTime = try r.read()
    }
}

/// An occurrence found overdue by more than the grace period (the server was down): not
/// published, and said so, so that nothing stays pending silently. Appended like
/// ``ScheduleFired``; the author's notification (issue 14, item 5) hangs on this event.
public struct ScheduleMissed: DomainEventPayload {
    public static let eventType = "ScheduleMissed"
    public var scheduleId: ScheduleID
    public var contentId: ContentID
    public var workspaceId: WorkspaceID
    public var occurrence: Instant
    public var detectedAt: Instant
    public var reason: String
    public var nextPublishTime: Instant?
    public var nextLocalPublishTime: LocalDateTime?

    public init(scheduleId: ScheduleID, contentId: ContentID, workspaceId: WorkspaceID, occurrence: Instant,
                detectedAt: Instant, reason: String, nextPublishTime: Instant? = nil, nextLocalPublishTime: LocalDateTime? = nil) {
        self.scheduleId = scheduleId
        self.contentId = contentId
        self.workspaceId = workspaceId
        self.occurrence = occurrence
        self.detectedAt = detectedAt
        self.reason = reason
        self.nextPublishTime = nextPublishTime
        self.nextLocalPublishTime = nextLocalPublishTime
    }

    public var stream: String { Streams.schedule(scheduleId) }
    public var event: DomainEvent { .scheduleMissed(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(scheduleId); w.write(contentId); w.write(workspaceId); w.write(occurrence); w.write(detectedAt)
        w.write(reason); w.write(nextPublishTime); w.write(nextLocalPublishTime)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        scheduleId = try r.read(); contentId = try r.read(); workspaceId = try r.read(); occurrence = try r.read()
        detectedAt = try r.read(); reason = try r.read(); nextPublishTime = try r.read(); nextLocalPublishTime = try r.read()
    }
}

public struct ScheduleCancelled: DomainEventPayload {
    public static let eventType = "ScheduleCancelled"
    public var scheduleId: ScheduleID
    public var cancelledBy: UserID
    public var reason: String?

    public init(scheduleId: ScheduleID, cancelledBy: UserID, reason: String? = nil) {
        self.scheduleId = scheduleId
        self.cancelledBy = cancelledBy
        self.reason = reason
    }

    public var stream: String { Streams.schedule(scheduleId) }
    public var event: DomainEvent { .scheduleCancelled(self) }

    public func encode(to w: inout BinaryWriter) { w.write(scheduleId); w.write(cancelledBy); w.write(reason) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        scheduleId = try r.read(); cancelledBy = try r.read(); reason = try r.read()
    }
}

public enum ChannelKind: String, Codable, Sendable, CaseIterable, BinaryCodable {
    /// Receives each delivery as a signed JSON document.
    case webhook
    /// A Mastodon account: each delivery posts a status.
    case mastodon
}

/// Where a channel's character limit came from: the network's answer, or its documented
/// default when the network did not say (or could not be reached) at connection.
public enum CharacterLimitSource: String, Codable, Sendable, BinaryCodable {
    case instance
    case fallback = "default"
}

public struct ChannelConnected: DomainEventPayload {
    public static let eventType = "ChannelConnected"
    public var channelId: ChannelID
    public var workspaceId: WorkspaceID
    public var name: String
    public var kind: ChannelKind
    /// A webhook's endpoint; a Mastodon channel's instance (`https://mastodon.social`).
    public var url: String
    /// The channel's credential, sealed: a webhook's signing secret (if the receiver wants
    /// one), a Mastodon account's access token.
    public var secret: String?
    public var connectedBy: UserID

    public init(channelId: ChannelID, workspaceId: WorkspaceID, name: String, kind: ChannelKind, url: String,
                secret: String? = nil, connectedBy: UserID) {
        self.channelId = channelId
        self.workspaceId = workspaceId
        self.name = name
        self.kind = kind
        self.url = url
        self.secret = secret
        self.connectedBy = connectedBy
    }

    public var stream: String { Streams.channel(channelId) }
    public var event: DomainEvent { .channelConnected(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(channelId); w.write(workspaceId); w.write(name); w.write(kind); w.write(url); w.write(secret)
        w.write(connectedBy)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        channelId = try r.read(); workspaceId = try r.read(); name = try r.read(); kind = try r.read()
        url = try r.read(); secret = try r.read(); connectedBy = try r.read()
    }
}

public struct ChannelDisconnected: DomainEventPayload {
    public static let eventType = "ChannelDisconnected"
    public var channelId: ChannelID
    public var disconnectedBy: UserID

    public init(channelId: ChannelID, disconnectedBy: UserID) {
        self.channelId = channelId
        self.disconnectedBy = disconnectedBy
    }

    public var stream: String { Streams.channel(channelId) }
    public var event: DomainEvent { .channelDisconnected(self) }

    public func encode(to w: inout BinaryWriter) { w.write(channelId); w.write(disconnectedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        channelId = try r.read(); disconnectedBy = try r.read()
    }
}

public struct DistributionRequested: DomainEventPayload {
    public static let eventType = "DistributionRequested"
    public var jobId: JobID
    public var contentId: ContentID
    public var workspaceId: WorkspaceID
    public var channels: [ChannelID]
    public var scheduleId: ScheduleID?
    /// A user, or `system` when a schedule fired.
    public var requestedBy: String

    public init(jobId: JobID, contentId: ContentID, workspaceId: WorkspaceID, channels: [ChannelID],
                scheduleId: ScheduleID? = nil, requestedBy: String) {
        self.jobId = jobId
        self.contentId = contentId
        self.workspaceId = workspaceId
        self.channels = channels
        self.scheduleId = scheduleId
        self.requestedBy = requestedBy
    }

    public var stream: String { Streams.distribution(jobId) }
    public var event: DomainEvent { .distributionRequested(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(jobId); w.write(contentId); w.write(workspaceId); w.write(channels); w.write(scheduleId); w.write(requestedBy)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        jobId = try r.read(); contentId = try r.read(); workspaceId = try r.read(); channels = try r.read()
        scheduleId = try r.read(); requestedBy = try r.read()
    }
}

public struct DistributionAttemptFailed: DomainEventPayload {
    public static let eventType = "DistributionAttemptFailed"
    public var jobId: JobID
    public var channelId: ChannelID
    public var attempt: Int
    public var error: String
    public var nextAttemptAt: Instant?

    public init(jobId: JobID, channelId: ChannelID, attempt: Int, error: String, nextAttemptAt: Instant?) {
        self.jobId = jobId
        self.channelId = channelId
        self.attempt = attempt
        self.error = error
        self.nextAttemptAt = nextAttemptAt
    }

    public var stream: String { Streams.distribution(jobId) }
    public var event: DomainEvent { .distributionAttemptFailed(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(jobId); w.write(channelId); w.write(attempt); w.write(error); w.write(nextAttemptAt)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        jobId = try r.read(); channelId = try r.read(); attempt = try r.read(); error = try r.read()
        nextAttemptAt = try r.read()
    }
}

public struct DistributionDeadLettered: DomainEventPayload {
    public static let eventType = "DistributionDeadLettered"
    public var jobId: JobID
    public var channelId: ChannelID
    public var attempts: Int
    public var lastError: String

    public init(jobId: JobID, channelId: ChannelID, attempts: Int, lastError: String) {
        self.jobId = jobId
        self.channelId = channelId
        self.attempts = attempts
        self.lastError = lastError
    }

    public var stream: String { Streams.distribution(jobId) }
    public var event: DomainEvent { .distributionDeadLettered(self) }

    public func encode(to w: inout BinaryWriter) { w.write(jobId); w.write(channelId); w.write(attempts); w.write(lastError) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        jobId = try r.read(); channelId = try r.read(); attempts = try r.read(); lastError = try r.read()
    }
}

public struct ContentPublished: DomainEventPayload {
    public static let eventType = "ContentPublished"
    public var contentId: ContentID
    public var scheduleId: ScheduleID?
    public var channelId: ChannelID
    public var jobId: JobID
    public var publishedAt: Instant
    /// The receiver's id for the delivered item, if it answered one.
    public var externalId: String?

    public init(contentId: ContentID, scheduleId: ScheduleID? = nil, channelId: ChannelID, jobId: JobID,
                publishedAt: Instant, externalId: String? = nil) {
        self.contentId = contentId
        self.scheduleId = scheduleId
        self.channelId = channelId
        self.jobId = jobId
        self.publishedAt = publishedAt
        self.externalId = externalId
    }

    public var stream: String { Streams.content(contentId) }
    public var event: DomainEvent { .contentPublished(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(contentId); w.write(scheduleId); w.write(channelId); w.write(jobId); w.write(publishedAt); w.write(externalId)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        contentId = try r.read(); scheduleId = try r.read(); channelId = try r.read(); jobId = try r.read()
        publishedAt = try r.read(); externalId = try r.read()
    }
}
