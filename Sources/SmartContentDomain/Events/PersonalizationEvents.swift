/// Who an audience is: readers interested in some keywords or content types, or a list.
public struct AudienceCriteria: Codable, Hashable, Sendable, BinaryCodable {
    public var keywords: [String]
    public var contentTypes: [ContentType]
    /// Explicit members (reader ids).
    public var members: [ReaderID]

    public init(keywords: [String] = [], contentTypes: [ContentType] = [], members: [ReaderID] = []) {
        self.keywords = keywords
        self.contentTypes = contentTypes
        self.members = members
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        keywords = try container.decodeIfPresent([String].self, forKey: .keywords) ?? []
        contentTypes = try container.decodeIfPresent([ContentType].self, forKey: .contentTypes) ?? []
        members = try container.decodeIfPresent([ReaderID].self, forKey: .members) ?? []
    }

    public func encode(to w: inout BinaryWriter) { w.write(keywords); w.write(contentTypes); w.write(members) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        keywords = try r.read(); contentTypes = try r.read(); members = try r.read()
    }
}

public struct AudienceCreated: DomainEventPayload {
    public static let eventType = "AudienceCreated"
    public var audienceId: AudienceID
    public var workspaceId: WorkspaceID
    public var name: String
    public var criteria: AudienceCriteria
    public var createdBy: UserID

    public init(audienceId: AudienceID, workspaceId: WorkspaceID, name: String, criteria: AudienceCriteria, createdBy: UserID) {
        self.audienceId = audienceId
        self.workspaceId = workspaceId
        self.name = name
        self.criteria = criteria
        self.createdBy = createdBy
    }

    public var stream: String { Streams.audience(audienceId) }
    public var event: DomainEvent { .audienceCreated(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(audienceId); w.write(workspaceId); w.write(name); w.write(criteria); w.write(createdBy)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        audienceId = try r.read(); workspaceId = try r.read(); name = try r.read(); criteria = try r.read()
        createdBy = try r.read()
    }
}

public struct AudienceUpdated: DomainEventPayload {
    public static let eventType = "AudienceUpdated"
    public var audienceId: AudienceID
    public var name: String
    public var criteria: AudienceCriteria
    public var updatedBy: UserID

    public init(audienceId: AudienceID, name: String, criteria: AudienceCriteria, updatedBy: UserID) {
        self.audienceId = audienceId
        self.name = name
        self.criteria = criteria
        self.updatedBy = updatedBy
    }

    public var stream: String { Streams.audience(audienceId) }
    public var event: DomainEvent { .audienceUpdated(self) }

    public func encode(to w: inout BinaryWriter) { w.write(audienceId); w.write(name); w.write(criteria); w.write(updatedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        audienceId = try r.read(); name = try r.read(); criteria = try r.read(); updatedBy = try r.read()
    }
}

public struct AudienceDeleted: DomainEventPayload {
    public static let eventType = "AudienceDeleted"
    public var audienceId: AudienceID
    public var deletedBy: UserID

    public init(audienceId: AudienceID, deletedBy: UserID) {
        self.audienceId = audienceId
        self.deletedBy = deletedBy
    }

    public var stream: String { Streams.audience(audienceId) }
    public var event: DomainEvent { .audienceDeleted(self) }

    public func encode(to w: inout BinaryWriter) { w.write(audienceId); w.write(deletedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        audienceId = try r.read(); deletedBy = try r.read()
    }
}

public struct ABTestCreated: DomainEventPayload {
    public static let eventType = "ABTestCreated"
    public var testId: ABTestID
    public var workspaceId: WorkspaceID
    public var name: String
    /// The contents competing; at least two.
    public var variants: [ContentID]
    public var audienceId: AudienceID?
    public var createdBy: UserID

    public init(testId: ABTestID, workspaceId: WorkspaceID, name: String, variants: [ContentID],
                audienceId: AudienceID? = nil, createdBy: UserID) {
        self.testId = testId
        self.workspaceId = workspaceId
        self.name = name
        self.variants = variants
        self.audienceId = audienceId
        self.createdBy = createdBy
    }

    public var stream: String { Streams.abtest(testId) }
    public var event: DomainEvent { .abTestCreated(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(testId); w.write(workspaceId); w.write(name); w.write(variants); w.write(audienceId); w.write(createdBy)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        testId = try r.read(); workspaceId = try r.read(); name = try r.read(); variants = try r.read()
        audienceId = try r.read(); createdBy = try r.read()
    }
}

public struct ABTestConcluded: DomainEventPayload {
    public static let eventType = "ABTestConcluded"
    public var testId: ABTestID
    public var winner: ContentID?
    public var concludedBy: String

    public init(testId: ABTestID, winner: ContentID?, concludedBy: String) {
        self.testId = testId
        self.winner = winner
        self.concludedBy = concludedBy
    }

    public var stream: String { Streams.abtest(testId) }
    public var event: DomainEvent { .abTestConcluded(self) }

    public func encode(to w: inout BinaryWriter) { w.write(testId); w.write(winner); w.write(concludedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        testId = try r.read(); winner = try r.read(); concludedBy = try r.read()
    }
}

public struct RecommendationModelTrained: DomainEventPayload {
    public static let eventType = "RecommendationModelTrained"
    public var modelVersion: String
    /// The log position the model saw up to.
    public var trainedThrough: UInt64
    public var interactions: Int

    public init(modelVersion: String, trainedThrough: UInt64, interactions: Int) {
        self.modelVersion = modelVersion
        self.trainedThrough = trainedThrough
        self.interactions = interactions
    }

    public var stream: String { Streams.recommendations }
    public var event: DomainEvent { .recommendationModelTrained(self) }

    public func encode(to w: inout BinaryWriter) { w.write(modelVersion); w.write(trainedThrough); w.write(interactions) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        modelVersion = try r.read(); trainedThrough = try r.read(); interactions = try r.read()
    }
}
