public import EventLog
import Foundation
public import SmartContentDomain
public import SmartContentProjections

extension SmartContentEngine {
    /// A stream's events decoded, with when each was recorded, and its head version.
    struct LoadedStream {
        var events: [(event: DomainEvent, at: Instant)]
        var version: UInt64?

        var expected: ExpectedVersion { version.map { .exact($0) } ?? .noStream }
    }

    func load(_ stream: String) async throws -> LoadedStream {
        let name = try StreamName(stream)
        return try await log.offload {
            try self.log.withSnapshot { snapshot in
                var loaded = LoadedStream(events: [], version: nil)
                try snapshot.forEach(inStream: name) { view in
                    loaded.events.append((try self.vault.open(EventCatalog.decode(view)),
                                          Instant(millisecondsSince1970: view.recordedAt)))
                    loaded.version = view.version
                    return true
                }
                return loaded
            }
        }
    }

    /// Appends `events` atomically, each to its own stream; `expected` gives the expected
    /// version of the streams that need one (the others: any). Returns the last position.
    @discardableResult
    func append(
        _ events: [DomainEvent], by actor: String?, workspace: WorkspaceID?, expected: [String: ExpectedVersion] = [:],
        ids: [EventID]? = nil
    ) async throws -> UInt64 {
        var metadata = EventMetadata()
        metadata.actor = actor
        metadata.workspaceID = workspace?.rawValue
        let recordedAt = now.millisecondsSince1970
        var appends: [StreamAppend] = []
        var seen = Set<String>()
        // Sealing may create keys, with a durable commit of their own: off the cooperative pool.
        let sealed = events.contains(where: { $0.carriesPersonalData || $0.namesReadersInClear })
            ? try await log.offload { try self.vault.seal(events) } : events
        for (index, event) in sealed.enumerated() {
            let stored = NewEvent(id: ids?[index] ?? EventID(), type: event.type, schemaVersion: event.schemaVersion,
                                  metadata: metadata, payloadFormat: .binary, payload: EventCatalog.encodeBinary(event),
                                  recordedAt: recordedAt)
            if let last = appends.indices.last, appends[last].stream.rawValue == event.stream {
                appends[last].events.append(stored)
            } else {
                let stream = try StreamName(event.stream)
                // Only the first part of a stream carries the expectation.
                let first = seen.insert(event.stream).inserted
                appends.append(StreamAppend(stream: stream, expectedVersion: first ? expected[event.stream] ?? .any : .any,
                                            events: [stored]))
            }
        }
        let results = try await log.append(appends)
        try await destroyKeys(erasedIn: events)
        let last = results.map(\.lastPosition).max() ?? 0
        if events.contains(where: \.queuesDeliveries) { distributionDoorbell.ring(whenFoldedPast: last) }
        if events.contains(where: \.queuesWebhooks) { webhookDoorbell.ring(whenFoldedPast: last) }
        return last
    }

    /// A `SubjectErased` in the log means the subject's key is gone, and a
    /// `ChannelDisconnected` the channel's, however it got there (``erase(subject:by:)``,
    /// ``record(_:by:workspace:)``, an import).
    func destroyKeys(erasedIn events: [DomainEvent]) async throws {
        guard events.contains(where: {
            switch $0 {
            case .subjectErased, .channelDisconnected, .webhookUnsubscribed: true
            default: false
            }
        }) else { return }
        let time = now
        try await log.offload { try self.vault.destroyKeys(erasedIn: events, at: time) }
    }

    /// Loads `stream`, lets `decide` choose the events from its state, and appends them
    /// expecting the version it saw; when another writer got there first, does it again.
    func execute<T: Sendable>(
        on stream: String, by actor: Actor,
        _ decide: (LoadedStream) async throws -> ([DomainEvent], T)
    ) async throws -> Written<T> {
        // Another writer of the same stream makes the append fail its expected version:
        // decide again on the new state, after a short random pause that spreads out the
        // contenders, so unconditional writes of many concurrent clients all land.
        for attempt in 0..<16 {
            let loaded = try await load(stream)
            let (events, value) = try await decide(loaded)
            do {
                let position = try await append(events, by: actor.userId.rawValue, workspace: actor.workspaceId,
                                                expected: [stream: loaded.expected])
                return Written(value: value, position: position)
            } catch {
                guard case .wrongExpectedVersion = error as? EventLogError else { throw error }
                try await Task.sleep(for: .microseconds(Int.random(in: 0...(200 << min(attempt, 5)))))
            }
        }
        throw DomainError(.versionConflict, "it kept changing under concurrent writes; read it again and retry")
    }

    // MARK: Content

    static func contentState(_ loaded: LoadedStream) -> ContentState? {
        var state: ContentState?
        for (event, at) in loaded.events {
            if case .contentCreated(let created) = event {
                state = ContentState(created, at: at)
            } else {
                state?.apply(event, at: at)
            }
        }
        return state
    }

    @discardableResult
    public func createContent(_ command: ContentRules.Create, by actor: Actor) async throws -> Written<ContentCreated> {
        try await execute(on: Streams.content(command.contentId), by: actor) { loaded in
            guard loaded.version == nil else {
                throw DomainError(.alreadyExists, "content \(command.contentId) already exists")
            }
            let created = try ContentRules.create(command, by: actor)
            return ([created.event], created)
        }
    }

    @discardableResult
    public func updateContent(_ command: ContentRules.Update, by actor: Actor) async throws -> Written<ContentUpdated> {
        try await execute(on: Streams.content(command.contentId), by: actor) { loaded in
            let updated = try ContentRules.update(command, current: Self.contentState(loaded), by: actor)
            return ([updated.event], updated)
        }
    }

    @discardableResult
    public func deleteContent(_ id: ContentID, by actor: Actor) async throws -> Written<ContentDeleted> {
        try await execute(on: Streams.content(id), by: actor) { loaded in
            let deleted = try ContentRules.delete(id, current: Self.contentState(loaded), by: actor)
            return ([deleted.event], deleted)
        }
    }

    @discardableResult
    public func addCollaborator(_ userId: UserID, to id: ContentID, by actor: Actor) async throws -> Written<CollaboratorAdded> {
        let isMember = try await read(UserProjection.self, atLeast: log.head.head) {
            try $0.role(of: userId, in: actor.workspaceId) != nil
        }
        return try await execute(on: Streams.content(id), by: actor) { loaded in
            let added = try ContentRules.addCollaborator(userId, to: id, isMember: isMember,
                                                         current: Self.contentState(loaded), by: actor)
            return ([added.event], added)
        }
    }

    /// Generates content with the configured generator and records it as `ContentCreated`
    /// with its generation parameters. Without a seed, each call gives other text.
    @discardableResult
    public func generateContent(_ request: GenerationRequest, by actor: Actor) async throws -> Written<ContentCreated> {
        try actor.requireWriter("generate content")
        try Validation.generationLength(request.length, for: request.contentType)
        if case .text(let seed) = request.seed, !(1...GenerationSeed.maxTextLength).contains(seed.count) {
            throw DomainError.invalid("seed", "seed must be an integer or a string of 1 to \(GenerationSeed.maxTextLength) characters")
        }
        let topic = try Validation.topic(request.topic)
        let keywords = try Validation.keywords(request.keywords)
        var cleaned = request
        cleaned.topic = topic
        cleaned.keywords = keywords
        let generated = try await configuration.generator.generate(cleaned)
        return try await createContent(.init(title: generated.title, body: generated.body, contentType: request.contentType,
                                             tone: request.tone, keywords: keywords, generated: generated.parameters),
                                       by: actor)
    }

    /// Edits content with the generator following `instructions`: a new version. What the
    /// generator could not follow is in the event's `notApplied`.
    @discardableResult
    public func refineContent(_ id: ContentID, instructions: String, by actor: Actor) async throws -> Written<ContentRefined> {
        try await execute(on: Streams.content(id), by: actor) { loaded in
            let current = Self.contentState(loaded)
            // Check access before spending time generating.
            let content = try ContentRules.editable(id, current, actor, action: "refine content")
            var topic: String?
            if case .contentCreated(let created)? = loaded.events.first?.event { topic = created.generated?.topic }
            let refined = try await configuration.generator.refine(.init(
                title: content.title, body: content.body, instructions: instructions, contentType: content.contentType,
                tone: content.tone, keywords: content.keywords, topic: topic))
            let event = try ContentRules.refine(contentId: id, instructions: instructions, refinedTitle: refined.title,
                                                refinedBody: refined.body, generated: refined.parameters,
                                                tone: refined.tone, keywords: refined.keywords,
                                                notApplied: refined.notApplied, current: current, by: actor)
            return ([event.event], event)
        }
    }

    // MARK: Schedules

    @discardableResult
    public func schedule(_ command: ScheduleRules.Schedule, by actor: Actor) async throws -> Written<ContentScheduled> {
        let content = Self.contentState(try await load(Streams.content(command.contentId)))
        let channels = try await connectedChannels(of: actor.workspaceId)
        try await checkPostLimits(of: content, on: command.channels, by: actor)
        return try await execute(on: Streams.schedule(command.scheduleId), by: actor) { loaded in
            guard loaded.version == nil else { throw DomainError(.alreadyExists, "schedule \(command.scheduleId) already exists") }
            let scheduled = try ScheduleRules.schedule(command, content: content, connectedChannels: channels, now: now, by: actor)
            return ([scheduled.event], scheduled)
        }
    }

    @discardableResult
    public func updateSchedule(
        _ id: ScheduleID, publishTime: Instant? = nil, timezone: String? = nil, channels: [ChannelID]? = nil, by actor: Actor
    ) async throws -> Written<ScheduleUpdated> {
        try await updateSchedule(id, time: publishTime.map(ScheduleRules.PublishTime.instant), timezone: timezone,
                                 channels: channels, by: actor)
    }

    /// Changes what is given (nil keeps it); see ``ScheduleRules/update(_:publishTime:timezone:channels:recurrence:current:connectedChannels:now:by:)``.
    @discardableResult
    public func updateSchedule(
        _ id: ScheduleID, time: ScheduleRules.PublishTime?, timezone: String? = nil, channels: [ChannelID]? = nil,
        recurrence: Recurrence? = nil, by actor: Actor
    ) async throws -> Written<ScheduleUpdated> {
        let connected = try await connectedChannels(of: actor.workspaceId)
        if let current = Self.scheduleState(try await load(Streams.schedule(id))), current.workspaceId == actor.workspaceId {
            let content = Self.contentState(try await load(Streams.content(current.contentId)))
            try await checkPostLimits(of: content, on: channels ?? current.channels, by: actor)
        }
        return try await execute(on: Streams.schedule(id), by: actor) { loaded in
            let updated = try ScheduleRules.update(id, publishTime: time, timezone: timezone, channels: channels,
                                                   recurrence: recurrence, current: Self.scheduleState(loaded),
                                                   connectedChannels: connected, now: now, by: actor)
            return ([updated.event], updated)
        }
    }

    @discardableResult
    public func cancelSchedule(_ id: ScheduleID, reason: String? = nil, by actor: Actor) async throws -> Written<ScheduleCancelled> {
        try await execute(on: Streams.schedule(id), by: actor) { loaded in
            let cancelled = try ScheduleRules.cancel(id, reason: reason, current: Self.scheduleState(loaded), by: actor)
            return ([cancelled.event], cancelled)
        }
    }

    static func scheduleState(_ loaded: LoadedStream) -> ScheduleState? {
        var state: ScheduleState?
        for (event, _) in loaded.events {
            if case .contentScheduled(let scheduled) = event { state = ScheduleState(scheduled) } else { state?.apply(event) }
        }
        return state
    }

    func connectedChannels(of workspace: WorkspaceID) async throws -> Set<ChannelID> {
        try await read(DistributionProjection.self, atLeast: log.head.head) { queries in
            Set(try queries.channels(in: workspace).map(\.channelId))
        }
    }

    // MARK: Engagement

    /// One engagement to record; `eventId` makes a retry harmless.
    public struct Engagement: Sendable {
        public var contentId: ContentID
        public var kind: EngagementKind
        public var userId: ReaderID?
        public var channel: String?
        public var occurredAt: Instant?
        public var value: Double?
        public var eventId: EventID?

        public init(contentId: ContentID, kind: EngagementKind, userId: ReaderID? = nil, channel: String? = nil,
                    occurredAt: Instant? = nil, value: Double? = nil, eventId: EventID? = nil) {
            self.contentId = contentId
            self.kind = kind
            self.userId = userId
            self.channel = channel
            self.occurredAt = occurredAt
            self.value = value
            self.eventId = eventId
        }
    }

    public static let maxEngagementBatch = 1000

    /// Records a batch of engagement atomically (up to 1000). Content must exist in the
    /// actor's workspace and not be deleted (engagement with deleted content is refused,
    /// as absent: it would rank content no one can read). `occurredAt` may be at most
    /// ``Configuration/maxClockSkew`` ahead of the engine's clock. Returns how many were
    /// new and the position reached.
    @discardableResult
    public func recordEngagement(_ engagements: [Engagement], by actor: Actor) async throws -> Written<Int> {
        try actor.requireWriter("record engagement")
        guard !engagements.isEmpty, engagements.count <= Self.maxEngagementBatch else {
            throw DomainError.invalid("events", "a batch holds 1 to \(Self.maxEngagementBatch) events")
        }
        let now = self.now
        let contents = Set(engagements.map(\.contentId))
        let head = log.head.head
        let unknown = try await read(ContentProjection.self, atLeast: head) { queries in
            try contents.filter { id in
                guard let content = try queries.content(id, in: actor.workspaceId) else { return true }
                return content.status == .deleted
            }
        }
        if let missing = unknown.sorted().first {
            throw DomainError(.notFound, "content \(missing) was not found", details: ["contentId": missing.rawValue])
        }
        let skew = configuration.maxClockSkew.components.seconds * 1000
        let latest = now.adding(milliseconds: skew)
        for (index, engagement) in engagements.enumerated() {
            if let at = engagement.occurredAt, at > latest {
                throw DomainError.invalid("events[\(index)].occurredAt",
                                          "occurredAt \(at.iso8601) is more than \(skew / 1000) seconds after the server's clock "
                                              + "(\(now.iso8601)): engagement cannot happen in the future")
            }
            if let value = engagement.value, !value.isFinite || value < 0 || value > 1e12 {
                throw DomainError.invalid("events[\(index)].value", "value must be a finite number from 0 to 10^12")
            }
            if let channel = engagement.channel, channel.isEmpty || channel.count > 64 {
                throw DomainError.invalid("events[\(index)].channel", "channel must be 1 to 64 characters")
            }
        }
        // A retry of an event that took "now" as its time must carry the time stored the
        // first time, or it would look like another event under the same id.
        let retried = engagements.compactMap { $0.occurredAt == nil ? $0.eventId : nil }
        let storedTimes: [EventID: Instant] = retried.isEmpty ? [:] : try await log.offload {
            try self.log.withSnapshot { snapshot in
                var times: [EventID: Instant] = [:]
                for id in retried {
                    if let view = try snapshot.event(id: id), case .engagementRecorded(let stored)? = try? EventCatalog.decode(view) {
                        times[id] = stored.occurredAt
                    }
                }
                return times
            }
        }
        let recorded = engagements.map {
            EngagementRecorded(contentId: $0.contentId, kind: $0.kind, userId: $0.userId, channel: $0.channel,
                               occurredAt: $0.occurredAt ?? $0.eventId.flatMap { storedTimes[$0] } ?? now,
                               value: $0.value).event
        }
        // Reader ids that could identify someone reach the log as pseudonyms only.
        let events = recorded.contains(where: \.namesReadersInClear)
            ? try await log.offload { try self.vault.seal(recorded) } : recorded
        let ids = engagements.map { $0.eventId ?? EventID() }
        guard Set(ids).count == ids.count else { throw DomainError.invalid("eventId", "an eventId appears twice") }
        var metadata = EventMetadata()
        metadata.actor = actor.userId.rawValue
        metadata.workspaceID = actor.workspaceId.rawValue
        var appends: [StreamAppend] = []
        for (event, id) in zip(events, ids) {
            appends.append(StreamAppend(stream: try StreamName(event.stream), events: [NewEvent(
                id: id, type: event.type, schemaVersion: event.schemaVersion, metadata: metadata,
                payloadFormat: .binary, payload: EventCatalog.encodeBinary(event), recordedAt: now.millisecondsSince1970)]))
        }
        let results: [AppendResult]
        do {
            results = try await log.append(appends, duplicates: .skipExisting)
        } catch {
            if case .eventIDConflict(let id, _, let reason) = error {
                throw DomainError(.alreadyExists, "eventId \(id) was already used for another event: \(reason)",
                                  details: ["field": "eventId"])
            }
            throw error
        }
        return Written(value: results.filter { !$0.alreadyPresent }.count, position: results.map(\.lastPosition).max() ?? 0)
    }

    // MARK: Audiences

    /// Creates an audience. Its name is unique in the workspace (compared ignoring case).
    @discardableResult
    public func createAudience(name: String, criteria: AudienceCriteria, by actor: Actor) async throws -> Written<AudienceCreated> {
        try actor.requireWriter("create audiences")
        let name = try Validation.name(name)
        let criteria = try Self.validated(criteria)
        return try await audienceNames.serialize { [self] in
            try await requireFreeAudienceName(name, in: actor.workspaceId, except: nil)
            let event = AudienceCreated(audienceId: .generate(), workspaceId: actor.workspaceId, name: name,
                                        criteria: criteria, createdBy: actor.userId)
            let position = try await append([event.event], by: actor.userId.rawValue, workspace: actor.workspaceId,
                                            expected: [event.stream: .noStream])
            return Written(value: event, position: position)
        }
    }

    /// Changes what is given of an audience's name and criteria; `nil` keeps the current one.
    /// Criteria given replace the current criteria whole.
    @discardableResult
    public func updateAudience(_ id: AudienceID, name: String? = nil, criteria: AudienceCriteria? = nil, by actor: Actor) async throws
        -> Written<AudienceUpdated> {
        try actor.requireWriter("change audiences")
        let name = try name.map { try Validation.name($0) }
        let criteria = try criteria.map(Self.validated)
        let update = { @Sendable [self] () async throws -> Written<AudienceUpdated> in
            try await execute(on: Streams.audience(id), by: actor) { loaded in
                let current = try Self.liveAudience(id, loaded, actor)
                if let name, name.lowercased() != current.name.lowercased() {
                    try await requireFreeAudienceName(name, in: actor.workspaceId, except: id)
                }
                let event = AudienceUpdated(audienceId: id, name: name ?? current.name, criteria: criteria ?? current.criteria,
                                            updatedBy: actor.userId)
                return ([event.event], event)
            }
        }
        // Only a rename can collide with another audience's name.
        return name == nil ? try await update() : try await audienceNames.serialize(update)
    }

    /// Refuses `name` when another live audience of `workspace` has it: reads the audiences
    /// at the end of the log, under ``audienceNames`` so two creations cannot both pass.
    private func requireFreeAudienceName(_ name: String, in workspace: WorkspaceID, except id: AudienceID?) async throws {
        let wanted = name.lowercased()
        let taken = try await read(AudienceProjection.self, atLeast: try log.lastPosition()) { queries in
            try queries.audiences(in: workspace).first { $0.audienceId != id && $0.name.lowercased() == wanted }
        }
        if let taken {
            throw DomainError(.alreadyExists, "the workspace already has an audience named \"\(taken.name)\" (\(taken.audienceId))",
                              details: ["field": "name", "audienceId": taken.audienceId.rawValue])
        }
    }

    @discardableResult
    public func deleteAudience(_ id: AudienceID, by actor: Actor) async throws -> Written<AudienceDeleted> {
        try actor.requireWriter("delete audiences")
        return try await execute(on: Streams.audience(id), by: actor) { loaded in
            _ = try Self.liveAudience(id, loaded, actor)
            let event = AudienceDeleted(audienceId: id, deletedBy: actor.userId)
            return ([event.event], event)
        }
    }

    /// The audience's current name and criteria; not found when deleted or of another workspace.
    static func liveAudience(_ id: AudienceID, _ loaded: LoadedStream, _ actor: Actor) throws -> (name: String, criteria: AudienceCriteria) {
        var workspace: WorkspaceID?
        var current: (name: String, criteria: AudienceCriteria)?
        for (event, _) in loaded.events {
            switch event {
            case .audienceCreated(let e):
                workspace = e.workspaceId
                current = (e.name, e.criteria)
            case .audienceUpdated(let e): current = (e.name, e.criteria)
            case .audienceDeleted: current = nil
            default: continue
            }
        }
        guard workspace == actor.workspaceId, let current else { throw DomainError.notFound("Audience", id.rawValue) }
        return current
    }

    static func validated(_ criteria: AudienceCriteria) throws -> AudienceCriteria {
        var criteria = criteria
        criteria.keywords = try Validation.keywords(criteria.keywords, field: "criteria.keywords")
        guard criteria.members.count <= 10_000 else { throw DomainError.invalid("criteria.members", "at most 10000 members") }
        return criteria
    }
}

extension SmartContentEngine {
    /// Appends events as they are, without the rules: for migrations, imports and tests.
    /// Returns the last position written.
    @discardableResult
    public func record(_ events: [DomainEvent], by actor: String? = nil, workspace: WorkspaceID? = nil) async throws -> UInt64 {
        guard !events.isEmpty else { return try log.lastPosition() }
        return try await append(events, by: actor, workspace: workspace)
    }

    /// The catalog events appended after `position`, decoded, in order.
    public func events(after position: UInt64, limit: Int = 10_000) async throws -> [ProjectedEvent] {
        try await log.offload {
            try self.log.withSnapshot { snapshot in
                var events: [ProjectedEvent] = []
                try snapshot.forEach(from: position + 1) { view in
                    guard let event = try? self.vault.open(EventCatalog.decode(view)) else { return true }
                    events.append(ProjectedEvent(position: view.position, recordedAt: Instant(millisecondsSince1970: view.recordedAt),
                                                 actor: try view.metadata().actor, event: event))
                    return events.count < limit
                }
                return events
            }
        }
    }
}
