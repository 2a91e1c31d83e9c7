/// Decisions about content: each takes a command, the current state and the actor, and
/// returns the event to append or a ``DomainError``.
public enum ContentRules {
    public struct Create: Sendable {
        public var contentId: ContentID
        public var title: String
        public var body: String
        public var contentType: ContentType
        public var tone: Tone?
        public var keywords: [String]
        public var generated: GenerationParameters?

        public init(contentId: ContentID = .generate(), title: String, body: String, contentType: ContentType,
                    tone: Tone? = nil, keywords: [String] = [], generated: GenerationParameters? = nil) {
            self.contentId = contentId
            self.title = title
            self.body = body
            self.contentType = contentType
            self.tone = tone
            self.keywords = keywords
            self.generated = generated
        }
    }

    public static func create(_ command: Create, by actor: Actor) throws(DomainError) -> ContentCreated {
        try actor.requireWriter("create content")
        let title = try Validation.title(command.title)
        try Validation.body(command.body)
        let keywords = try Validation.keywords(command.keywords)
        if let generated = command.generated {
            try Validation.generationLength(generated.length, for: command.contentType)
        }
        return ContentCreated(contentId: command.contentId, workspaceId: actor.workspaceId, authorId: actor.userId,
                              title: title, body: command.body, contentType: command.contentType, tone: command.tone,
                              keywords: keywords, generated: command.generated)
    }

    public struct Update: Sendable {
        public var contentId: ContentID
        public var title: String?
        public var body: String?
        public var contentType: ContentType?
        public var tone: Tone?
        public var keywords: [String]?
        public var changes: String?
        /// Refuse with `VERSION_CONFLICT` unless the content is at this version.
        public var expectedVersion: Int?

        public init(contentId: ContentID, title: String? = nil, body: String? = nil, contentType: ContentType? = nil,
                    tone: Tone? = nil, keywords: [String]? = nil, changes: String? = nil, expectedVersion: Int? = nil) {
            self.contentId = contentId
            self.title = title
            self.body = body
            self.contentType = contentType
            self.tone = tone
            self.keywords = keywords
            self.changes = changes
            self.expectedVersion = expectedVersion
        }
    }

    public static func update(_ command: Update, current: ContentState?, by actor: Actor) throws(DomainError) -> ContentUpdated {
        let content = try editable(command.contentId, current, actor, action: "edit content")
        if let expected = command.expectedVersion, expected != content.version {
            throw DomainError(.versionConflict, "content is at version \(content.version), not \(expected)",
                              details: ["expectedVersion": "\(expected)", "currentVersion": "\(content.version)"])
        }
        guard command.title != nil || command.body != nil || command.contentType != nil || command.tone != nil
            || command.keywords != nil
        else { throw DomainError(.invalidParameters, "an update must change at least one field") }
        let title = try command.title.map { (t: String) throws(DomainError) in try Validation.title(t) } ?? content.title
        let body = command.body ?? content.body
        try Validation.body(body)
        let keywords = try command.keywords.map { (k: [String]) throws(DomainError) in try Validation.keywords(k) } ?? content.keywords
        return ContentUpdated(contentId: content.contentId, version: content.version + 1, title: title, body: body,
                              contentType: command.contentType ?? content.contentType, tone: command.tone ?? content.tone,
                              keywords: keywords, changes: command.changes ?? "", editedBy: actor.userId)
    }

    /// A refinement: the generator's title and body, and the tone and keywords when the
    /// instructions changed them (`nil`: as they were).
    public static func refine(
        contentId: ContentID, instructions: String, refinedTitle: String, refinedBody: String,
        generated: GenerationParameters, tone: Tone? = nil, keywords: [String]? = nil, notApplied: [String] = [],
        current: ContentState?, by actor: Actor
    ) throws(DomainError) -> ContentRefined {
        let content = try editable(contentId, current, actor, action: "refine content")
        let instructions = instructions.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2000).contains(instructions.count) else {
            throw .invalid("instructions", "instructions must be 1 to 2000 characters")
        }
        let title = try Validation.title(refinedTitle)
        try Validation.body(refinedBody)
        let keywords = try keywords.map { (k: [String]) throws(DomainError) in try Validation.keywords(k) }
        return ContentRefined(contentId: contentId, version: content.version + 1, title: title, body: refinedBody,
                              instructions: instructions, editedBy: actor.userId, generated: generated,
                              tone: tone == content.tone ? nil : tone, keywords: keywords == content.keywords ? nil : keywords,
                              notApplied: notApplied)
    }

    public static func delete(_ contentId: ContentID, current: ContentState?, by actor: Actor) throws(DomainError) -> ContentDeleted {
        let content = try visible(contentId, current, actor)
        try actor.requireWriter("delete content")
        guard actor.role == .admin || content.authorId == actor.userId else {
            throw DomainError(.forbidden, "only the author or an admin can delete content")
        }
        guard content.status != .deleted else { throw DomainError(.invalidState, "content \(contentId) is already deleted") }
        return ContentDeleted(contentId: contentId, deletedBy: actor.userId)
    }

    public static func addCollaborator(
        _ userId: UserID, to contentId: ContentID, isMember: Bool, current: ContentState?, by actor: Actor
    ) throws(DomainError) -> CollaboratorAdded {
        let content = try editable(contentId, current, actor, action: "add collaborators")
        guard actor.role == .admin || content.authorId == actor.userId else {
            throw DomainError(.forbidden, "only the author or an admin can add collaborators")
        }
        guard isMember else { throw .invalid("userId", "\(userId) is not a member of this workspace") }
        guard !content.collaborators.contains(userId), content.authorId != userId else {
            throw DomainError(.alreadyExists, "\(userId) already works on this content")
        }
        return CollaboratorAdded(contentId: contentId, userId: userId, addedBy: actor.userId)
    }

    /// The content if the actor's workspace holds it; another workspace's content is
    /// reported exactly as absent content.
    static func visible(_ id: ContentID, _ current: ContentState?, _ actor: Actor) throws(DomainError) -> ContentState {
        guard let current, current.workspaceId == actor.workspaceId else { throw .notFound("Content", id.rawValue) }
        return current
    }

    /// The content if `actor` may change it: in their workspace, not deleted, and theirs to
    /// edit (author, collaborator or admin).
    public static func editable(_ id: ContentID, _ current: ContentState?, _ actor: Actor, action: String) throws(DomainError) -> ContentState {
        let content = try visible(id, current, actor)
        try actor.requireWriter(action)
        guard content.status != .deleted else {
            throw DomainError(.invalidState, "content \(id) is deleted and accepts no change", details: ["status": "deleted"])
        }
        guard content.canEdit(actor) else {
            throw DomainError(.forbidden, "only the author, a collaborator or an admin can \(action)")
        }
        return content
    }
}
