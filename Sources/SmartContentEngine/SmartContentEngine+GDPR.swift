public import EventLog
import Foundation
public import SmartContentDomain
public import SmartContentProjections

/// Everything the engine holds about one data subject (GDPR access request).
public struct SubjectExport: Sendable {
    public var subjectId: String
    /// When the subject was erased; then nothing else is held.
    public var erasedAt: Instant?
    /// The user's profile, decrypted (users only; readers have none).
    public var profile: UserRecord?
    public var memberships: [(workspaceId: WorkspaceID, role: Role)]
    /// Content the user wrote, in every workspace they belong to.
    public var authoredContent: [ContentID]
    /// What they read, clicked, shared… by content.
    public var interactions: [(contentId: ContentID, totals: EngagementTotals)]
    public var audiences: [AudienceID]
    /// What they did on the platform, oldest first.
    public var activity: [AuditEntry]
    /// Every event of the log about them (their stream and their engagement), decrypted,
    /// in the wire format.
    public var events: [JSONValue]

    public var isErased: Bool { erasedAt != nil }

    /// The document `smartcontent gdpr export` prints.
    public func json() -> String {
        var fields: [(key: String, value: JSONValue)] = [("subjectId", .string(subjectId))]
        if let erasedAt {
            fields.append(("status", .string("erased")))
            fields.append(("erasedAt", .string(erasedAt.iso8601)))
            fields.append(("message", .string("this subject was erased: no personal data is held any more")))
            return JSONValue.object(fields).compactText
        }
        fields.append(("status", .string("active")))
        if let profile {
            var user: [(key: String, value: JSONValue)] = [
                ("userId", .string(profile.userId.rawValue)), ("email", .string(profile.email)),
                ("name", .string(profile.name)), ("workspaceId", .string(profile.workspaceId.rawValue)),
                ("createdAt", .string(profile.createdAt.iso8601)), ("failedLogins", .number(String(profile.failedLogins))),
            ]
            if let bio = profile.bio { user.append(("bio", .string(bio))) }
            if let timezone = profile.timezone { user.append(("timezone", .string(timezone))) }
            if let until = profile.lockedUntil { user.append(("lockedUntil", .string(until.iso8601))) }
            fields.append(("profile", .object(user)))
        } else {
            fields.append(("profile", .null))
        }
        fields.append(("memberships", .array(memberships.map {
            .object([("workspaceId", .string($0.workspaceId.rawValue)), ("role", .string($0.role.rawValue))])
        })))
        fields.append(("authoredContent", .array(authoredContent.map { .string($0.rawValue) })))
        fields.append(("interactions", .array(interactions.map { interaction in
            let t = interaction.totals
            return .object([("contentId", .string(interaction.contentId.rawValue)),
                            ("views", Self.number(t.views)), ("clicks", Self.number(t.clicks)),
                            ("shares", Self.number(t.shares)), ("engagement", Self.number(t.engagement)),
                            ("conversions", Self.number(t.conversions)),
                            ("conversionValue", Self.number(t.conversionValue))])
        })))
        fields.append(("audiences", .array(audiences.map { .string($0.rawValue) })))
        fields.append(("activity", .array(activity.map { entry in
            .object([("position", .number(String(entry.position))), ("at", .string(entry.at.iso8601)),
                     ("type", .string(entry.type)), ("entity", .string(entry.entity))])
        })))
        fields.append(("events", .array(events)))
        return JSONValue.object(fields).compactText
    }

    private static func number(_ value: Double) -> JSONValue {
        value == value.rounded() && abs(value) < 1e15 ? .number(String(Int64(value))) : .number(String(value))
    }
}

/// What an erasure did.
public struct Erasure: Sendable, Hashable {
    public var subjectId: String
    /// The position of the `SubjectErased` event.
    public var position: UInt64
    public var erasedAt: Instant
    /// The subject had been erased before: nothing was done.
    public var wasAlreadyErased: Bool
}

extension SmartContentEngine {
    /// Everything held about `subject` (a `usr_…` id or a reader id), personal data
    /// decrypted; for an erased subject, only that it was erased.
    ///
    /// - Throws: ``DomainError`` `NOT_FOUND` when the engine holds nothing about it.
    public func export(subject requested: String) async throws -> SubjectExport {
        try checkSubjectId(requested)
        let subject = try heldSubject(requested)
        var export = SubjectExport(subjectId: requested, erasedAt: nil, profile: nil, memberships: [], authoredContent: [],
                                   interactions: [], audiences: [], activity: [], events: [])
        if let erasedAt = try await erasedAt(subject) {
            export.erasedAt = erasedAt
            return export
        }
        let position = try log.lastPosition()
        let user = UserID(rawValue: subject)
        if let user {
            export.profile = try await read(UserProjection.self, atLeast: position) { try $0.user(user) }
            export.memberships = try await read(UserProjection.self) { queries in
                try queries.memberships(of: user).map { (workspaceId: $0.0, role: $0.1) }
            }
        }
        export.activity = try await read(AuditProjection.self, atLeast: position) { try $0.bySubject(subject, limit: .max) }
        // Everything they created, in any workspace, whether or not they still belong to it.
        export.authoredContent = export.activity.compactMap { entry in
            guard entry.type == ContentCreated.eventType, let id = Streams.content.id(of: entry.entity) else { return nil }
            return ContentID(rawValue: String(id))
        }
        export.interactions = try await read(RecommendationProjection.self, atLeast: position) { queries in
            try queries.interactions(of: subject).map { (contentId: $0.0, totals: EngagementTotals($0.1)) }
        }
        export.audiences = try await read(AudienceProjection.self, atLeast: position) { try $0.audiences(naming: subject) }
        export.events = try await events(about: subject, through: position)
        guard export.profile != nil || !export.interactions.isEmpty || !export.audiences.isEmpty
            || !export.activity.isEmpty || !export.events.isEmpty
        else { throw notHeld(requested) }
        return export
    }

    /// The id the engine holds `subject` under: a reader id that could identify someone is
    /// held under its pseudonym (``PersonalDataVault/pseudonym(of:)``), any other as given.
    public func heldSubject(_ subject: String) throws -> String {
        guard let reader = ReaderID(rawValue: subject), !reader.isSurrogate,
              let pseudonym = try vault.pseudonym(of: reader) else { return subject }
        return pseudonym.rawValue
    }

    private func notHeld(_ subject: String) -> DomainError {
        if let reader = ReaderID(rawValue: subject), !reader.isSurrogate {
            return DomainError(.notFound, "nothing is held about \(subject): the engine never saw this reader id, or erased it "
                + "(an erasure forgets the reader id itself)")
        }
        return DomainError.notFound("subject", subject)
    }

    /// Crypto-shreds `subject`: records `SubjectErased`, destroys their key (their sealed
    /// personal data in the log becomes unreadable) and waits until every projection has
    /// purged them. Aggregates that identify no one (daily totals, popularity) keep their
    /// values. Erasing twice is harmless; an erasure cut short is completed by the next.
    ///
    /// The erased bytes still sit in LMDB's free pages until ``compact(directory:)`` runs.
    ///
    /// - Throws: ``DomainError`` `NOT_FOUND` when the engine holds nothing about it.
    public func erase(subject requested: String, by actor: String = "system") async throws -> Erasure {
        try checkSubjectId(requested)
        let subject = try heldSubject(requested)
        let stream = try StreamName(Streams.subject(subject))
        let recorded = try await log.streamInfo(stream)
        if let recorded, case .erased(let at) = try vault.status(of: subject) {
            return Erasure(subjectId: requested, position: recorded.lastPosition, erasedAt: at, wasAlreadyErased: true)
        }
        var position = recorded?.lastPosition ?? 0
        if recorded == nil {
            guard try await holdsAnything(about: subject) else { throw notHeld(requested) }
            do {
                position = try await append([SubjectErased(subjectId: subject, erasedBy: actor).event], by: actor, workspace: nil,
                                            expected: [stream.rawValue: .noStream])
            } catch EventLogError.wrongExpectedVersion {
                // Another erasure of the same subject got there first; finish with it.
                position = try await log.streamInfo(stream)?.lastPosition ?? 0
            }
        }
        let erasedAt = now
        _ = try await log.offload { try self.vault.destroyKey(of: subject, at: erasedAt) }
        if projections.isRunning {
            try await projections.waitUntil(position: position, timeout: configuration.readTimeout)
        } else {
            try await catchUp()
        }
        let at: Instant = if case .erased(let at) = try vault.status(of: subject) { at } else { erasedAt }
        return Erasure(subjectId: requested, position: position, erasedAt: at, wasAlreadyErased: false)
    }

    /// When the subject was erased, `nil` if never (or, for a reader id, if it is forgotten).
    public func erasedAt(_ requested: String) async throws -> Instant? {
        let subject = try heldSubject(requested)
        guard try await log.streamInfo(StreamName(Streams.subject(subject))) != nil else { return nil }
        if case .erased(let at) = try vault.status(of: subject) { return at }
        return nil
    }

    private func checkSubjectId(_ subject: String) throws {
        guard !subject.isEmpty, subject.utf8.count <= 128, (try? StreamName(Streams.subject(subject))) != nil else {
            throw DomainError.invalid("subject", "a subject is a usr_… id or a reader id of 1 to 128 characters")
        }
    }

    private func holdsAnything(about subject: String) async throws -> Bool {
        if try vault.status(of: subject) != .none { return true }
        let position = try log.lastPosition()
        if let user = UserID(rawValue: subject),
           try await read(UserProjection.self, atLeast: position, { try $0.user(user) }) != nil { return true }
        if try await !read(RecommendationProjection.self, atLeast: position, { try $0.interactions(of: subject) }).isEmpty {
            return true
        }
        if try await !read(AudienceProjection.self, atLeast: position, { try $0.audiences(naming: subject) }).isEmpty {
            return true
        }
        return try await !events(about: subject, through: position, limit: 1).isEmpty
    }

    /// The events about the subject or done by them, in the wire format, decrypted: a scan
    /// of the whole log.
    private func events(about subject: String, through position: UInt64, limit: Int = .max) async throws -> [JSONValue] {
        try await log.offload {
            try self.log.withSnapshot { snapshot in
                var events: [JSONValue] = []
                var line: [UInt8] = []
                try snapshot.forEach(from: 1) { view in
                    guard view.position <= position else { return false }
                    guard let event = try? EventCatalog.decode(view),
                          event.subject == subject || view.metadataValue(forKey: "actor") == subject
                    else { return true }
                    line.removeAll(keepingCapacity: true)
                    try EventCatalog.appendWireLine(view, to: &line, reading: self.vault.openForDisplay)
                    events.append(try JSONValue(parsing: line.last == UInt8(ascii: "\n") ? line.dropLast() : line[...]))
                    return events.count < limit
                }
                return events
            }
        }
    }
}
