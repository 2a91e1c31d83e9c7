import SmartContentDomain

/// One event of every type of the catalog, with optional fields filled in.
enum Samples {
    static let user: UserID = "usr_alice"
    static let other: UserID = "usr_bob"
    static let workspace: WorkspaceID = "wsp_main"
    static let content: ContentID = "cnt_abc123"
    static let schedule: ScheduleID = "sch_1"
    static let channel: ChannelID = "chn_web"
    static let job: JobID = "job_1"
    static let audience: AudienceID = "aud_1"
    static let test: ABTestID = "abt_1"
    static let time = Instant(iso8601: "2026-02-15T10:30:00.123Z")!
    static let generated = GenerationParameters(generator: "offline", model: "offline-1", topic: "AI", length: 800,
                                                targetAudience: "developers")

    static let all: [DomainEvent] = [
        UserRegistered(userId: user, workspaceId: workspace, email: "alice@example.com", name: "Alice",
                       passwordHash: "$2b$10$hash").event,
        UserProfileUpdated(userId: user, name: "Alice A.", bio: "Writes about AI", timezone: "Europe/Paris").event,
        UserRoleChanged(userId: other, workspaceId: workspace, role: .editor, changedBy: user).event,
        LoginFailed(userId: user, failedAttempts: 2, ipAddress: "192.0.2.7").event,
        AccountLocked(userId: user, until: time, reason: "5 failed logins").event,
        PasswordChanged(userId: user, passwordHash: "$2b$10$other").event,
        WorkspaceCreated(workspaceId: workspace, name: "Main", ownerId: user).event,
        MemberAdded(workspaceId: workspace, userId: other, role: .viewer, addedBy: user).event,
        MemberRemoved(workspaceId: workspace, userId: other, removedBy: user).event,
        SubjectErased(subjectId: user.rawValue, erasedBy: "usr_admin").event,
        ContentCreated(contentId: content, workspaceId: workspace, authorId: user, title: "Hello", body: "Body text",
                       contentType: .blogPost, tone: .professional, keywords: ["AI", "Swift"], generated: generated).event,
        ContentUpdated(contentId: content, version: 2, title: "Hello again", body: "New body", contentType: .article,
                       tone: nil, keywords: [], changes: "rewrote intro", editedBy: other).event,
        ContentRefined(contentId: content, version: 3, title: "Hello, refined", body: "Refined body",
                       instructions: "shorter", editedBy: user, generated: generated).event,
        ContentRefined(contentId: content, version: 4, title: "Hello, refined", body: "Casual body",
                       instructions: "more casual, add keyword Swift, translate it", editedBy: user, generated: generated,
                       tone: .casual, keywords: ["AI", "Swift"], notApplied: ["translate it"]).event,
        ContentDeleted(contentId: content, deletedBy: user).event,
        CollaboratorAdded(contentId: content, userId: other, addedBy: user).event,
        ContentScheduled(scheduleId: schedule, contentId: content, workspaceId: workspace, publishTime: time,
                         timezone: "Europe/Paris", channels: [channel, "chn_mail"], scheduledBy: user).event,
        ScheduleUpdated(scheduleId: schedule, publishTime: time.adding(milliseconds: 60_000), timezone: "UTC",
                        channels: [channel], updatedBy: user).event,
        ContentScheduled(scheduleId: schedule, contentId: content, workspaceId: workspace, publishTime: time,
                         timezone: "Europe/Paris", channels: [channel], scheduledBy: user,
                         localPublishTime: LocalDateTime("2026-02-15T11:30:00"),
                         recurrence: Recurrence(frequency: .weekly, interval: 2, until: "2026-12-31")).event,
        ScheduleUpdated(scheduleId: schedule, publishTime: time, timezone: "Europe/Paris", channels: [channel],
                        updatedBy: user, localPublishTime: LocalDateTime("2026-02-15T11:30:00"),
                        recurrence: Recurrence(frequency: .daily)).event,
        ScheduleCancelled(scheduleId: schedule, cancelledBy: user, reason: "postponed").event,
        ScheduleFired(scheduleId: schedule, contentId: content, workspaceId: workspace, occurrence: time, firedAt: time,
                      jobId: job, nextPublishTime: time.adding(milliseconds: 86_400_000),
                      nextLocalPublishTime: LocalDateTime("2026-02-16T11:30:00")).event,
        ScheduleMissed(scheduleId: schedule, contentId: content, workspaceId: workspace, occurrence: time,
                       detectedAt: time.adding(milliseconds: 90_000_000), reason: "overdue by 1d1h").event,
        ChannelConnected(channelId: channel, workspaceId: workspace, name: "Website", kind: .webhook,
                         url: "https://example.com/hook", secret: "s3cret", connectedBy: user).event,
        ChannelDisconnected(channelId: channel, disconnectedBy: user).event,
        DistributionRequested(jobId: job, contentId: content, workspaceId: workspace, channels: [channel],
                              scheduleId: schedule, requestedBy: "system").event,
        DistributionAttemptFailed(jobId: job, channelId: channel, attempt: 1, error: "HTTP 503",
                                  nextAttemptAt: time).event,
        DistributionDeadLettered(jobId: job, channelId: channel, attempts: 5, lastError: "HTTP 503").event,
        ContentPublished(contentId: content, scheduleId: schedule, channelId: channel, jobId: job, publishedAt: time,
                         externalId: "ext-9").event,
        EngagementRecorded(contentId: content, kind: .conversion, userId: ReaderID(rawValue: "reader 42"), channel: "web",
                           occurredAt: time, value: 19.99).event,
        AudienceCreated(audienceId: audience, workspaceId: workspace, name: "Devs",
                        criteria: AudienceCriteria(keywords: ["Swift"], contentTypes: [.article],
                                                   members: [ReaderID(rawValue: "usr_bob")!]), createdBy: user).event,
        AudienceUpdated(audienceId: audience, name: "Developers", criteria: AudienceCriteria(), updatedBy: user).event,
        AudienceDeleted(audienceId: audience, deletedBy: user).event,
        ABTestCreated(testId: test, workspaceId: workspace, name: "Titles", variants: [content, "cnt_other"],
                      audienceId: audience, createdBy: user).event,
        ABTestConcluded(testId: test, winner: content, concludedBy: "system").event,
        RecommendationModelTrained(modelVersion: "2026-02-15.1", trainedThrough: 1_000_000, interactions: 52_000).event,
        // Added after the fixture was first recorded: at the end, so earlier lines keep their positions.
        ChannelSecretRotated(channelId: channel, secret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0", previousSecretExpiresAt: time,
                             rotatedBy: user).event,
        ChannelPaused(channelId: channel, workspaceId: workspace, failingSince: time, reason: "every delivery failed").event,
        ChannelResumed(channelId: channel, resumedBy: user).event,
        DistributionAttempted(jobId: job, channelId: channel, attempt: 1, webhookId: "msg_1_web", statusCode: 503,
                              durationMs: 12, error: "HTTP 503").event,
        DistributionRetryRequested(jobId: job, channels: [channel], requestedBy: "usr_alice").event,
        WebhookSubscribed(subscriptionId: "whk_1", workspaceId: workspace, url: "https://example.com/events",
                          eventTypes: ["content.*", "notification.content_published"], description: "CRM sync",
                          secret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0", subscribedBy: user).event,
        WebhookUnsubscribed(subscriptionId: "whk_1", unsubscribedBy: user).event,
        WebhookReplayRequested(subscriptionId: "whk_1", fromPosition: 41, requestedBy: user).event,
        WebhookAttempted(subscriptionId: "whk_1", position: 41, webhookType: "content.created", attempt: 2,
                         webhookId: "msg_0123456789abcdef", statusCode: 503, durationMs: 15, error: "HTTP 503",
                         outcome: .retrying, nextAttemptAt: time).event,
        ChannelConnected(channelId: "chn_toots", workspaceId: workspace, name: "Toots", kind: .mastodon,
                         url: "https://mastodon.example", secret: "token-in-clear", connectedBy: user).event,
        ChannelCharacterLimitSet(channelId: "chn_toots", characterLimit: 500, source: .fallback,
                                 note: "https://mastodon.example/api/v2/instance answered HTTP 503").event,
    ]
}
