public import SmartContentDomain

public struct AudienceRecord: Hashable, Sendable, Codable, BinaryCodable {
    public var audienceId: AudienceID
    public var workspaceId: WorkspaceID
    public var name: String
    public var criteria: AudienceCriteria
    public var createdAt: Instant
    public var updatedAt: Instant

    public func encode(to w: inout BinaryWriter) {
        w.write(audienceId); w.write(workspaceId); w.write(name); w.write(criteria); w.write(createdAt); w.write(updatedAt)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        audienceId = try r.read(); workspaceId = try r.read(); name = try r.read(); criteria = try r.read()
        createdAt = try r.read(); updatedAt = try r.read()
    }
    init(_ e: AudienceCreated, at time: Instant) {
        audienceId = e.audienceId
        workspaceId = e.workspaceId
        name = e.name
        criteria = e.criteria
        createdAt = time
        updatedAt = time
    }
}

public struct ABTestRecord: Hashable, Sendable, Codable, BinaryCodable {
    public enum Status: String, Codable, Sendable, BinaryCodable { case running, concluded }

    public var testId: ABTestID
    public var workspaceId: WorkspaceID
    public var name: String
    public var variants: [ContentID]
    public var audienceId: AudienceID?
    public var status: Status
    public var winner: ContentID?
    public var createdAt: Instant

    public func encode(to w: inout BinaryWriter) {
        w.write(testId); w.write(workspaceId); w.write(name); w.write(variants); w.write(audienceId); w.write(status)
        w.write(winner); w.write(createdAt)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        testId = try r.read(); workspaceId = try r.read(); name = try r.read(); variants = try r.read()
        audienceId = try r.read(); status = try r.read(); winner = try r.read(); createdAt = try r.read()
    }
    init(_ e: ABTestCreated, at time: Instant) {
        testId = e.testId
        workspaceId = e.workspaceId
        name = e.name
        variants = e.variants
        audienceId = e.audienceId
        status = .running
        winner = nil
        createdAt = time
    }
}

/// Audiences and A/B tests of each workspace.
///
/// Tables:
/// - `audiences`: audienceId → ``AudienceRecord`` (deleted ones removed)
/// - `by-workspace`: workspaceId, audienceId
/// - `tests`: testId → ``ABTestRecord``
/// - `members`: readerId, audienceId (explicit members, so erasure finds them)
public struct AudienceProjection: Projection {
    public static let name = "audiences"
    /// Milliseconds of its fold of the 1 M-event benchmark workload (2 cores).
    public static let foldCost = 60
    public static let foldsEngagement = false
    public static let tables = ["audiences", "by-workspace", "tests", "members"]

    public init() {}

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        for projected in events {
            switch projected.event {
            case .audienceCreated(let e):
                try store.put("audiences", OrderedKey(e.audienceId.rawValue), AudienceRecord(e, at: projected.recordedAt))
                try store.put("by-workspace", OrderedKey(e.workspaceId.rawValue, e.audienceId.rawValue))
                try indexMembers(e.audienceId, old: [], new: e.criteria.members, store)
            case .audienceUpdated(let e):
                let key = OrderedKey(e.audienceId.rawValue)
                guard var audience = try store.value("audiences", key, as: AudienceRecord.self) else { continue }
                try indexMembers(e.audienceId, old: audience.criteria.members, new: e.criteria.members, store)
                audience.name = e.name
                audience.criteria = e.criteria
                audience.updatedAt = projected.recordedAt
                try store.put("audiences", key, audience)
            case .audienceDeleted(let e):
                let key = OrderedKey(e.audienceId.rawValue)
                guard let audience = try store.value("audiences", key, as: AudienceRecord.self) else { continue }
                try indexMembers(e.audienceId, old: audience.criteria.members, new: [], store)
                try store.delete("audiences", key)
                try store.delete("by-workspace", OrderedKey(audience.workspaceId.rawValue, e.audienceId.rawValue))
            case .subjectErased(let e):
                // Explicit members are personal data: an erased reader leaves every audience.
                var audiences: [AudienceID] = []
                try store.reader.scan("members", prefix: OrderedKey(e.subjectId)) { key, _ in
                    var parts = OrderedKeyReader(key)
                    _ = parts.string()
                    audiences.append(AudienceID(unchecked: parts.string()))
                    return true
                }
                for id in audiences {
                    try store.delete("members", OrderedKey(e.subjectId, id.rawValue))
                    let key = OrderedKey(id.rawValue)
                    guard var audience = try store.value("audiences", key, as: AudienceRecord.self) else { continue }
                    audience.criteria.members.removeAll { $0.rawValue == e.subjectId }
                    try store.put("audiences", key, audience)
                }
            case .abTestCreated(let e):
                try store.put("tests", OrderedKey(e.testId.rawValue), ABTestRecord(e, at: projected.recordedAt))
            case .abTestConcluded(let e):
                let key = OrderedKey(e.testId.rawValue)
                guard var test = try store.value("tests", key, as: ABTestRecord.self) else { continue }
                test.status = .concluded
                test.winner = e.winner
                try store.put("tests", key, test)
            default:
                continue
            }
        }
    }

    private func indexMembers(_ audience: AudienceID, old: [ReaderID], new: [ReaderID], _ store: ProjectionWriter) throws {
        let kept = Set(new)
        for member in old where !kept.contains(member) {
            try store.delete("members", OrderedKey(member.rawValue, audience.rawValue))
        }
        for member in kept { try store.put("members", OrderedKey(member.rawValue, audience.rawValue)) }
    }
}

extension AudienceProjection {
    public struct Queries {
        let reader: ProjectionReader
        public init(_ reader: ProjectionReader) { self.reader = reader }

        public func audience(_ id: AudienceID, in workspace: WorkspaceID) throws -> AudienceRecord? {
            guard let audience = try reader.value("audiences", OrderedKey(id.rawValue), as: AudienceRecord.self),
                  audience.workspaceId == workspace
            else { return nil }
            return audience
        }

        public func audiences(in workspace: WorkspaceID) throws -> [AudienceRecord] {
            var audiences: [AudienceRecord] = []
            let prefix = OrderedKey(workspace.rawValue)
            try reader.scan("by-workspace", prefix: prefix) { key, _ in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                if let audience = try audience(AudienceID(unchecked: parts.string()), in: workspace) { audiences.append(audience) }
                return true
            }
            return audiences
        }

        /// The audiences that name `subject` (a user or reader id) as an explicit member.
        public func audiences(naming subject: String) throws -> [AudienceID] {
            var result: [AudienceID] = []
            let prefix = OrderedKey(subject)
            try reader.scan("members", prefix: prefix) { key, _ in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                result.append(AudienceID(unchecked: parts.string()))
                return true
            }
            return result
        }

        public func test(_ id: ABTestID, in workspace: WorkspaceID) throws -> ABTestRecord? {
            guard let test = try reader.value("tests", OrderedKey(id.rawValue), as: ABTestRecord.self),
                  test.workspaceId == workspace
            else { return nil }
            return test
        }
    }
}
