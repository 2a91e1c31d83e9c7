import EventLog
import Foundation
public import SmartContentDomain
import SmartContentProjections

extension SmartContentEngine {
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
