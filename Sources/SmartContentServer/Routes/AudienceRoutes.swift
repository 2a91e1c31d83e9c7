import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension SmartContentAPI {
    struct AudienceBody: Decodable {
        var name: String
        var criteria: AudienceCriteria?
    }

    /// A partial update, as every `PUT` of the API: what is sent changes, the rest stays.
    struct AudienceUpdateBody: Decodable {
        var name: String?
        var criteria: AudienceCriteria?
    }

    /// Audiences: create, list, get, update, delete.
    func addAudienceRoutes(to v1: RouterGroup<APIContext>) {
        let audiences = v1.group("audiences")
        audiences.post { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.decode(as: AudienceBody.self, context: context)
            let created = try await engine.createAudience(name: body.name, criteria: body.criteria ?? AudienceCriteria(), by: actor)
            return try context.respond(try await audience(created.value.audienceId, actor, atLeast: created.position),
                                       status: .created, position: created.position)
        }
        audiences.get { request, context -> Response in
            let actor = try context.requireActor()
            let audiences = try await read(AudienceProjection.self, request, context) { try $0.audiences(in: actor.workspaceId) }
            return try context.respond(Page(items: try audiences.map(revealingMembers), nextCursor: nil))
        }
        audiences.get(":audienceId") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("audienceId", as: AudienceID.self, what: "Audience")
            return try context.respond(try await audience(id, actor, atLeast: try context.readPosition(request)))
        }
        audiences.put(":audienceId") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("audienceId", as: AudienceID.self, what: "Audience")
            let body = try await request.decode(as: AudienceUpdateBody.self, context: context)
            guard body.name != nil || body.criteria != nil else { throw APIError.invalid("body", "nothing to change: give name or criteria") }
            let updated = try await engine.updateAudience(id, name: body.name, criteria: body.criteria, by: actor)
            return try context.respond(try await audience(id, actor, atLeast: updated.position), position: updated.position)
        }
        audiences.delete(":audienceId") { _, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("audienceId", as: AudienceID.self, what: "Audience")
            return context.noContent(position: try await engine.deleteAudience(id, by: actor).position)
        }
    }

    func audience(_ id: AudienceID, _ actor: Actor, atLeast position: UInt64?) async throws -> AudienceRecord {
        let record = try await engine.readNow(AudienceProjection.self, atLeast: position) { try $0.audience(id, in: actor.workspaceId) }
        guard let record else { throw APIError.notFound("Audience", id.rawValue) }
        return try revealingMembers(record)
    }

    /// The audience with its members as the client named them: the store holds
    /// pseudonyms for reader ids that could identify someone.
    func revealingMembers(_ record: AudienceRecord) throws -> AudienceRecord {
        var record = record
        record.criteria.members = try record.criteria.members.map { try engine.vault.reader(of: $0) ?? $0 }
        return record
    }
}
