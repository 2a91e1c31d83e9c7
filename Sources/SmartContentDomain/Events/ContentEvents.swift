/// What a piece of content is.
public enum ContentType: String, Codable, Sendable, CaseIterable, BinaryCodable {
    case blogPost = "blog_post"
    case article
    case socialMedia = "social_media"
    case email
    case adCopy = "ad_copy"
    case productDescription = "product_description"
    case newsletter
}

public enum Tone: String, Codable, Sendable, CaseIterable, BinaryCodable {
    case professional, casual, friendly, formal, humorous, persuasive, informative, enthusiastic
}

/// How AI-generated content was produced.
public struct GenerationParameters: Codable, Hashable, Sendable, BinaryCodable {
    /// `offline` for the built-in generator, or the provider's name.
    public var generator: String
    public var model: String
    public var topic: String
    /// The requested length in words.
    public var length: Int
    public var targetAudience: String?

    public init(generator: String, model: String, topic: String, length: Int, targetAudience: String? = nil) {
        self.generator = generator
        self.model = model
        self.topic = topic
        self.length = length
        self.targetAudience = targetAudience
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(generator); w.write(model); w.write(topic); w.write(length); w.write(targetAudience)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        generator = try r.read(); model = try r.read(); topic = try r.read(); length = try r.read()
        targetAudience = try r.read()
    }
}

/// A new piece of content, version 1: written by hand or generated.
public struct ContentCreated: DomainEventPayload {
    public static let eventType = "ContentCreated"
    public var contentId: ContentID
    public var workspaceId: WorkspaceID
    public var authorId: UserID
    public var title: String
    public var body: String
    public var contentType: ContentType
    public var tone: Tone?
    public var keywords: [String]
    public var generated: GenerationParameters?

    public init(contentId: ContentID, workspaceId: WorkspaceID, authorId: UserID, title: String, body: String,
                contentType: ContentType, tone: Tone? = nil, keywords: [String] = [], generated: GenerationParameters? = nil) {
        self.contentId = contentId
        self.workspaceId = workspaceId
        self.authorId = authorId
        self.title = title
        self.body = body
        self.contentType = contentType
        self.tone = tone
        self.keywords = keywords
        self.generated = generated
    }

    public var stream: String { Streams.content(contentId) }
    public var event: DomainEvent { .contentCreated(self) }

    enum CodingKeys: String, CodingKey {
        case contentId, workspaceId, authorId, title, body, contentType, tone, keywords, generated
    }

    /// `keywords` may be left out of the JSON (no keywords).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        contentId = try c.decode(ContentID.self, forKey: .contentId)
        workspaceId = try c.decode(WorkspaceID.self, forKey: .workspaceId)
        authorId = try c.decode(UserID.self, forKey: .authorId)
        title = try c.decode(String.self, forKey: .title)
        body = try c.decode(String.self, forKey: .body)
        contentType = try c.decode(ContentType.self, forKey: .contentType)
        tone = try c.decodeIfPresent(Tone.self, forKey: .tone)
        keywords = try c.decodeIfPresent([String].self, forKey: .keywords) ?? []
        generated = try c.decodeIfPresent(GenerationParameters.self, forKey: .generated)
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(contentId); w.write(workspaceId); w.write(authorId); w.write(title); w.write(body)
        w.write(contentType); w.write(tone); w.write(keywords); w.write(generated)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        contentId = try r.read(); workspaceId = try r.read(); authorId = try r.read(); title = try r.read()
        body = try r.read(); contentType = try r.read(); tone = try r.read(); keywords = try r.read()
        generated = try r.read()
    }
}

/// A new version of content (version + 1), edited by hand.
public struct ContentUpdated: DomainEventPayload {
    public static let eventType = "ContentUpdated"
    public var contentId: ContentID
    /// The version this event creates (2 for the first update).
    public var version: Int
    public var title: String
    public var body: String
    public var contentType: ContentType
    public var tone: Tone?
    public var keywords: [String]
    /// What changed, in the editor's words.
    public var changes: String
    public var editedBy: UserID

    public init(contentId: ContentID, version: Int, title: String, body: String, contentType: ContentType,
                tone: Tone?, keywords: [String], changes: String, editedBy: UserID) {
        self.contentId = contentId
        self.version = version
        self.title = title
        self.body = body
        self.contentType = contentType
        self.tone = tone
        self.keywords = keywords
        self.changes = changes
        self.editedBy = editedBy
    }

    public var stream: String { Streams.content(contentId) }
    public var event: DomainEvent { .contentUpdated(self) }

    enum CodingKeys: String, CodingKey {
        case contentId, version, title, body, contentType, tone, keywords, changes, editedBy
    }

    /// `keywords` and `changes` may be left out of the JSON.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        contentId = try c.decode(ContentID.self, forKey: .contentId)
        version = try c.decode(Int.self, forKey: .version)
        title = try c.decode(String.self, forKey: .title)
        body = try c.decode(String.self, forKey: .body)
        contentType = try c.decode(ContentType.self, forKey: .contentType)
        tone = try c.decodeIfPresent(Tone.self, forKey: .tone)
        keywords = try c.decodeIfPresent([String].self, forKey: .keywords) ?? []
        changes = try c.decodeIfPresent(String.self, forKey: .changes) ?? ""
        editedBy = try c.decode(UserID.self, forKey: .editedBy)
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(contentId); w.write(version); w.write(title); w.write(body); w.write(contentType); w.write(tone)
        w.write(keywords); w.write(changes); w.write(editedBy)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        contentId = try r.read(); version = try r.read(); title = try r.read(); body = try r.read()
        contentType = try r.read(); tone = try r.read(); keywords = try r.read(); changes = try r.read()
        editedBy = try r.read()
    }
}

/// A new version of content edited by the generator on the editor's instructions. Schema
/// version 2 added `tone` and `keywords` (set when the instructions changed them; `nil`
/// leaves them as they were) and `notApplied` (the instructions the generator could not
/// follow); version 1 records are upcast with none of them.
public struct ContentRefined: DomainEventPayload {
    public static let eventType = "ContentRefined"
    public static let schemaVersion: UInt16 = 2
    public var contentId: ContentID
    public var version: Int
    public var title: String
    public var body: String
    public var instructions: String
    public var editedBy: UserID
    public var generated: GenerationParameters
    /// The new tone, when the instructions changed it.
    public var tone: Tone?
    /// The new keywords, when the instructions changed them.
    public var keywords: [String]?
    /// The parts of the instructions that were not followed, each with why.
    public var notApplied: [String]

    public init(contentId: ContentID, version: Int, title: String, body: String, instructions: String,
                editedBy: UserID, generated: GenerationParameters, tone: Tone? = nil, keywords: [String]? = nil,
                notApplied: [String] = []) {
        self.contentId = contentId
        self.version = version
        self.title = title
        self.body = body
        self.instructions = instructions
        self.editedBy = editedBy
        self.generated = generated
        self.tone = tone
        self.keywords = keywords
        self.notApplied = notApplied
    }

    public var stream: String { Streams.content(contentId) }
    public var event: DomainEvent { .contentRefined(self) }

    enum CodingKeys: String, CodingKey {
        case contentId, version, title, body, instructions, editedBy, generated, tone, keywords, notApplied
    }

    /// `tone`, `keywords` and `notApplied` may be left out of the JSON (version 1 had none).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        contentId = try c.decode(ContentID.self, forKey: .contentId)
        version = try c.decode(Int.self, forKey: .version)
        title = try c.decode(String.self, forKey: .title)
        body = try c.decode(String.self, forKey: .body)
        instructions = try c.decode(String.self, forKey: .instructions)
        editedBy = try c.decode(UserID.self, forKey: .editedBy)
        generated = try c.decode(GenerationParameters.self, forKey: .generated)
        tone = try c.decodeIfPresent(Tone.self, forKey: .tone)
        keywords = try c.decodeIfPresent([String].self, forKey: .keywords)
        notApplied = try c.decodeIfPresent([String].self, forKey: .notApplied) ?? []
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(contentId); w.write(version); w.write(title); w.write(body); w.write(instructions); w.write(editedBy)
        w.write(generated); w.write(tone)
        // An optional array: a presence byte, as for other optionals, then the array.
        w.write(keywords != nil)
        if let keywords { w.write(keywords) }
        w.write(notApplied)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        contentId = try r.read(); version = try r.read(); title = try r.read(); body = try r.read()
        instructions = try r.read(); editedBy = try r.read(); generated = try r.read(); tone = try r.read()
        keywords = try r.read(Bool.self) ? try r.read([String].self) : nil
        notApplied = try r.read()
    }

    /// Version 1, as it was written before `tone`, `keywords` and `notApplied`.
    struct Version1: BinaryCodable {
        var contentId: ContentID
        var version: Int
        var title: String
        var body: String
        var instructions: String
        var editedBy: UserID
        var generated: GenerationParameters

        func encode(to w: inout BinaryWriter) {
            w.write(contentId); w.write(version); w.write(title); w.write(body); w.write(instructions); w.write(editedBy)
            w.write(generated)
        }
        init(from r: inout BinaryReader) throws(BinaryDecodingError) {
            contentId = try r.read(); version = try r.read(); title = try r.read(); body = try r.read()
            instructions = try r.read(); editedBy = try r.read(); generated = try r.read()
        }

        var upcast: ContentRefined {
            ContentRefined(contentId: contentId, version: version, title: title, body: body, instructions: instructions,
                           editedBy: editedBy, generated: generated)
        }
    }
}

public struct ContentDeleted: DomainEventPayload {
    public static let eventType = "ContentDeleted"
    public var contentId: ContentID
    public var deletedBy: UserID

    public init(contentId: ContentID, deletedBy: UserID) {
        self.contentId = contentId
        self.deletedBy = deletedBy
    }

    public var stream: String { Streams.content(contentId) }
    public var event: DomainEvent { .contentDeleted(self) }

    public func encode(to w: inout BinaryWriter) { w.write(contentId); w.write(deletedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        contentId = try r.read(); deletedBy = try r.read()
    }
}

public struct CollaboratorAdded: DomainEventPayload {
    public static let eventType = "CollaboratorAdded"
    public var contentId: ContentID
    public var userId: UserID
    public var addedBy: UserID

    public init(contentId: ContentID, userId: UserID, addedBy: UserID) {
        self.contentId = contentId
        self.userId = userId
        self.addedBy = addedBy
    }

    public var stream: String { Streams.content(contentId) }
    public var event: DomainEvent { .collaboratorAdded(self) }

    public func encode(to w: inout BinaryWriter) { w.write(contentId); w.write(userId); w.write(addedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        contentId = try r.read(); userId = try r.read(); addedBy = try r.read()
    }
}
