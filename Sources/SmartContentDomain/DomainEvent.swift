/// Every event of the catalog (DESIGN section 3). Projections and decisions switch over
/// this enum, which is exhaustive and costs no dynamic casts.
public enum DomainEvent: Hashable, Sendable {
    indirect case userRegistered(UserRegistered)
    case userProfileUpdated(UserProfileUpdated)
    case userRoleChanged(UserRoleChanged)
    case loginFailed(LoginFailed)
    case accountLocked(AccountLocked)
    case passwordChanged(PasswordChanged)
    case workspaceCreated(WorkspaceCreated)
    case memberAdded(MemberAdded)
    case memberRemoved(MemberRemoved)
    case subjectErased(SubjectErased)
    // Payloads larger than engagement's 73 bytes (80–168) live in boxes of their own: every
    // event of a decoded batch takes the size of the largest inline case, and engagement is
    // most of the log. A decoded event is 112 bytes (136 with only the content payloads
    // boxed, 208 with none).
    indirect case contentCreated(ContentCreated)
    indirect case contentUpdated(ContentUpdated)
    indirect case contentRefined(ContentRefined)
    case contentDeleted(ContentDeleted)
    case collaboratorAdded(CollaboratorAdded)
    indirect case contentScheduled(ContentScheduled)
    case scheduleUpdated(ScheduleUpdated)
    case scheduleCancelled(ScheduleCancelled)
    indirect case scheduleFired(ScheduleFired)
    indirect case scheduleMissed(ScheduleMissed)
    indirect case channelConnected(ChannelConnected)
    case channelDisconnected(ChannelDisconnected)
    indirect case channelSecretRotated(ChannelSecretRotated)
    indirect case channelPaused(ChannelPaused)
    indirect case channelCharacterLimitSet(ChannelCharacterLimitSet)
    case channelResumed(ChannelResumed)
    indirect case distributionRequested(DistributionRequested)
    indirect case distributionAttempted(DistributionAttempted)
    case distributionAttemptFailed(DistributionAttemptFailed)
    case distributionRetryRequested(DistributionRetryRequested)
    case distributionDeadLettered(DistributionDeadLettered)
    indirect case contentPublished(ContentPublished)
    case engagementRecorded(EngagementRecorded)
    indirect case audienceCreated(AudienceCreated)
    case audienceUpdated(AudienceUpdated)
    case audienceDeleted(AudienceDeleted)
    indirect case abTestCreated(ABTestCreated)
    case abTestConcluded(ABTestConcluded)
    case recommendationModelTrained(RecommendationModelTrained)
    indirect case webhookSubscribed(WebhookSubscribed)
    case webhookUnsubscribed(WebhookUnsubscribed)
    case webhookReplayRequested(WebhookReplayRequested)
    indirect case webhookAttempted(WebhookAttempted)

    /// The payload, as its protocol.
    public var payload: any DomainEventPayload {
        switch self {
        case .userRegistered(let e): e
        case .userProfileUpdated(let e): e
        case .userRoleChanged(let e): e
        case .loginFailed(let e): e
        case .accountLocked(let e): e
        case .passwordChanged(let e): e
        case .workspaceCreated(let e): e
        case .memberAdded(let e): e
        case .memberRemoved(let e): e
        case .subjectErased(let e): e
        case .contentCreated(let e): e
        case .contentUpdated(let e): e
        case .contentRefined(let e): e
        case .contentDeleted(let e): e
        case .collaboratorAdded(let e): e
        case .contentScheduled(let e): e
        case .scheduleUpdated(let e): e
        case .scheduleCancelled(let e): e
        case .scheduleFired(let e): e
        case .scheduleMissed(let e): e
        case .channelConnected(let e): e
        case .channelDisconnected(let e): e
        case .channelSecretRotated(let e): e
        case .channelPaused(let e): e
        case .channelCharacterLimitSet(let e): e
        case .channelResumed(let e): e
        case .distributionRequested(let e): e
        case .distributionAttempted(let e): e
        case .distributionAttemptFailed(let e): e
        case .distributionRetryRequested(let e): e
        case .distributionDeadLettered(let e): e
        case .contentPublished(let e): e
        case .engagementRecorded(let e): e
        case .audienceCreated(let e): e
        case .audienceUpdated(let e): e
        case .audienceDeleted(let e): e
        case .abTestCreated(let e): e
        case .abTestConcluded(let e): e
        case .recommendationModelTrained(let e): e
        case .webhookSubscribed(let e): e
        case .webhookUnsubscribed(let e): e
        case .webhookReplayRequested(let e): e
        case .webhookAttempted(let e): e
        }
    }

    /// The event type on the log.
    public var type: String { Swift.type(of: payload).eventType }
    public var schemaVersion: UInt16 { Swift.type(of: payload).schemaVersion }
    public var stream: String { payload.stream }
    public var subject: String? { payload.subject }

    public func encodeBinary(to writer: inout BinaryWriter) {
        switch self {
        case .userRegistered(let e): e.encode(to: &writer)
        case .userProfileUpdated(let e): e.encode(to: &writer)
        case .userRoleChanged(let e): e.encode(to: &writer)
        case .loginFailed(let e): e.encode(to: &writer)
        case .accountLocked(let e): e.encode(to: &writer)
        case .passwordChanged(let e): e.encode(to: &writer)
        case .workspaceCreated(let e): e.encode(to: &writer)
        case .memberAdded(let e): e.encode(to: &writer)
        case .memberRemoved(let e): e.encode(to: &writer)
        case .subjectErased(let e): e.encode(to: &writer)
        case .contentCreated(let e): e.encode(to: &writer)
        case .contentUpdated(let e): e.encode(to: &writer)
        case .contentRefined(let e): e.encode(to: &writer)
        case .contentDeleted(let e): e.encode(to: &writer)
        case .collaboratorAdded(let e): e.encode(to: &writer)
        case .contentScheduled(let e): e.encode(to: &writer)
        case .scheduleUpdated(let e): e.encode(to: &writer)
        case .scheduleCancelled(let e): e.encode(to: &writer)
        case .scheduleFired(let e): e.encode(to: &writer)
        case .scheduleMissed(let e): e.encode(to: &writer)
        case .channelConnected(let e): e.encode(to: &writer)
        case .channelDisconnected(let e): e.encode(to: &writer)
        case .channelSecretRotated(let e): e.encode(to: &writer)
        case .channelPaused(let e): e.encode(to: &writer)
        case .channelCharacterLimitSet(let e): e.encode(to: &writer)
        case .channelResumed(let e): e.encode(to: &writer)
        case .distributionRequested(let e): e.encode(to: &writer)
        case .distributionAttempted(let e): e.encode(to: &writer)
        case .distributionAttemptFailed(let e): e.encode(to: &writer)
        case .distributionRetryRequested(let e): e.encode(to: &writer)
        case .distributionDeadLettered(let e): e.encode(to: &writer)
        case .contentPublished(let e): e.encode(to: &writer)
        case .engagementRecorded(let e): e.encode(to: &writer)
        case .audienceCreated(let e): e.encode(to: &writer)
        case .audienceUpdated(let e): e.encode(to: &writer)
        case .audienceDeleted(let e): e.encode(to: &writer)
        case .abTestCreated(let e): e.encode(to: &writer)
        case .abTestConcluded(let e): e.encode(to: &writer)
        case .recommendationModelTrained(let e): e.encode(to: &writer)
        case .webhookSubscribed(let e): e.encode(to: &writer)
        case .webhookUnsubscribed(let e): e.encode(to: &writer)
        case .webhookReplayRequested(let e): e.encode(to: &writer)
        case .webhookAttempted(let e): e.encode(to: &writer)
        }
    }
}

extension EventCatalog {
    /// Every payload type of the catalog, in DESIGN's order.
    public static let payloadTypes: [any DomainEventPayload.Type] = [
        UserRegistered.self,
        UserProfileUpdated.self,
        UserRoleChanged.self,
        LoginFailed.self,
        AccountLocked.self,
        PasswordChanged.self,
        WorkspaceCreated.self,
        MemberAdded.self,
        MemberRemoved.self,
        SubjectErased.self,
        ContentCreated.self,
        ContentUpdated.self,
        ContentRefined.self,
        ContentDeleted.self,
        CollaboratorAdded.self,
        ContentScheduled.self,
        ScheduleUpdated.self,
        ScheduleCancelled.self,
        ScheduleFired.self,
        ScheduleMissed.self,
        ChannelConnected.self,
        ChannelDisconnected.self,
        ChannelSecretRotated.self,
        ChannelPaused.self,
        ChannelCharacterLimitSet.self,
        ChannelResumed.self,
        DistributionRequested.self,
        DistributionAttempted.self,
        DistributionAttemptFailed.self,
        DistributionRetryRequested.self,
        DistributionDeadLettered.self,
        ContentPublished.self,
        EngagementRecorded.self,
        AudienceCreated.self,
        AudienceUpdated.self,
        AudienceDeleted.self,
        ABTestCreated.self,
        ABTestConcluded.self,
        RecommendationModelTrained.self,
        WebhookSubscribed.self,
        WebhookUnsubscribed.self,
        WebhookReplayRequested.self,
        WebhookAttempted.self,
    ]
}
