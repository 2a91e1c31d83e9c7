public enum ContentStatus: String, Codable, Sendable, CaseIterable, BinaryCodable {
    case draft, scheduled, published, deleted
}

/// A piece of content as the rules see it: the fold of its events (and of the schedule and
/// publication events that name it). The content projection keeps the same fold.
public struct ContentState: Hashable, Sendable {
    public var contentId: ContentID
    public var workspaceId: WorkspaceID
    public var authorId: UserID
    public var title: String
    public var body: String
    public var contentType: ContentType
    public var tone: Tone?
    public var keywords: [String]
    /// Starts at 1; each update or refinement adds one.
    public var version: Int
    public var status: ContentStatus
    public var collaborators: Set<UserID>
    /// Schedules still pending for this content.
    public var pendingSchedules: Set<ScheduleID>
    public var createdAt: Instant
    public var updatedAt: Instant

    public init(_ created: ContentCreated, at time: Instant) {
        contentId = created.contentId
        workspaceId = created.workspaceId
        authorId = created.authorId
        title = created.title
        body = created.body
        contentType = created.contentType
        tone = created.tone
        keywords = created.keywords
        version = 1
        status = .draft
        collaborators = []
        pendingSchedules = []
        createdAt = time
        updatedAt = time
    }

    /// Applies an event about this content; others are ignored.
    public mutating func apply(_ event: DomainEvent, at time: Instant) {
        switch event {
        case .contentUpdated(let e) where e.contentId == contentId:
            title = e.title
            body = e.body
            contentType = e.contentType
            tone = e.tone
            keywords = e.keywords
            version = e.version
            updatedAt = time
        case .contentRefined(let e) where e.contentId == contentId:
            title = e.title
            body = e.body
            if let tone = e.tone { self.tone = tone }
            if let keywords = e.keywords { self.keywords = keywords }
            version = e.version
            updatedAt = time
        case .contentDeleted(let e) where e.contentId == contentId:
            status = .deleted
            pendingSchedules = []
            updatedAt = time
        case .collaboratorAdded(let e) where e.contentId == contentId:
            collaborators.insert(e.userId)
        case .contentScheduled(let e) where e.contentId == contentId:
            pendingSchedules.insert(e.scheduleId)
            if status == .draft { status = .scheduled }
        case .contentPublished(let e) where e.contentId == contentId:
            if let schedule = e.scheduleId { pendingSchedules.remove(schedule) }
            if status != .deleted { status = .published }
            updatedAt = time
        default:
            break
        }
    }

    /// Applies a schedule's cancellation (the event names the schedule, not the content).
    public mutating func cancelSchedule(_ scheduleId: ScheduleID) {
        pendingSchedules.remove(scheduleId)
        if status == .scheduled && pendingSchedules.isEmpty { status = .draft }
    }

    /// Whether `actor` may edit: admins always; editors when author or collaborator.
    public func canEdit(_ actor: Actor) -> Bool {
        actor.role == .admin || (actor.role == .editor && (actor.userId == authorId || collaborators.contains(actor.userId)))
    }
}

extension ContentState: BinaryCodable {
    public func encode(to w: inout BinaryWriter) {
        w.write(contentId); w.write(workspaceId); w.write(authorId); w.write(title); w.write(body); w.write(contentType)
        w.write(tone); w.write(keywords); w.write(version); w.write(status); w.write(collaborators.sorted())
        w.write(pendingSchedules.sorted()); w.write(createdAt); w.write(updatedAt)
    }

    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        contentId = try r.read(); workspaceId = try r.read(); authorId = try r.read(); title = try r.read()
        body = try r.read(); contentType = try r.read(); tone = try r.read(); keywords = try r.read()
        version = try r.read(); status = try r.read(); collaborators = Set(try r.read([UserID].self))
        pendingSchedules = Set(try r.read([ScheduleID].self)); createdAt = try r.read(); updatedAt = try r.read()
    }
}
