import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension SmartContentAPI {
    struct ProfileBody: Decodable {
        var name: String?
        var bio: String?
        var timezone: String?
        var currentPassword: String?
        var newPassword: String?
    }

    struct MemberBody: Decodable {
        var email: String
        var role: Role
    }

    struct RoleBody: Decodable {
        var role: Role
    }

    /// `/v1/users/me`, `/v1/users/{userId}` (admins), the caller's workspaces and their members.
    func addUserRoutes(to v1: RouterGroup<APIContext>) {
        v1.get("users/me") { request, context -> Response in
            let actor = try context.requireActor()
            let now = engine.now
            let profile = try await read(UserProjection.self, request, context) { try $0.profile(actor.userId, in: actor.workspaceId, now: now) }
            guard let profile else { throw APIError.notFound("User", actor.userId.rawValue) }
            return try context.respond(profile)
        }
        v1.put("users/me") { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.decode(as: ProfileBody.self, context: context)
            // The profile fields are checked first: a request refused for one of them must
            // not have changed the password already.
            if let name = body.name { _ = try Validation.name(name) }
            if let bio = body.bio, !Validation.bioLength.contains(bio.count) {
                throw APIError.invalid("bio", "bio must be at most \(Validation.bioLength.upperBound) characters")
            }
            if let timezone = body.timezone { try Validation.timezone(timezone) }
            var position: UInt64?
            if body.newPassword != nil || body.currentPassword != nil {
                guard let current = body.currentPassword, let new = body.newPassword else {
                    throw APIError.invalid(body.newPassword == nil ? "newPassword" : "currentPassword",
                                           "changing the password takes currentPassword and newPassword")
                }
                position = try await engine.changePassword(actor.userId, current: current, new: new).position
            }
            if body.name != nil || body.bio != nil || body.timezone != nil {
                position = try await engine.updateProfile(actor.userId, name: body.name, bio: body.bio, timezone: body.timezone).position
            }
            guard let position else { throw APIError.invalid("body", "nothing to change: give name, bio, timezone or a new password") }
            let now = engine.now
            let profile = try await engine.readNow(UserProjection.self, atLeast: position) {
                try $0.profile(actor.userId, in: actor.workspaceId, now: now)
            }
            return try context.respond(profile, position: position)
        }
        v1.get("users/:userId") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("userId", as: UserID.self, what: "User")
            guard actor.role == .admin || id == actor.userId else {
                throw APIError(.forbidden, "FORBIDDEN", "only admins see other users")
            }
            let now = engine.now
            let profile = try await read(UserProjection.self, request, context) { try $0.profile(id, in: actor.workspaceId, now: now) }
            // Someone outside the caller's workspace is as absent as no one.
            guard let profile, profile.role != nil else { throw APIError.notFound("User", id.rawValue) }
            return try context.respond(profile)
        }

        v1.get("workspaces") { request, context -> Response in
            let actor = try context.requireActor()
            let workspaces = try await read(UserProjection.self, request, context) { try $0.workspaces(of: actor.userId) }
            return try context.respond(Page(items: workspaces, nextCursor: nil))
        }

        let members = v1.group("workspaces/:workspaceId/members")
        members.post { request, context -> Response in
            let actor = try await workspaceActor(context)
            let body = try await request.decode(as: MemberBody.self, context: context)
            let added = try await engine.addMember(email: body.email, role: body.role, by: actor)
            let member = try await engine.readNow(UserProjection.self, atLeast: added.position) {
                try $0.members(of: actor.workspaceId).first { $0.userId == added.value.userId }
            }
            return try context.respond(member, status: .created, position: added.position)
        }
        members.get { request, context -> Response in
            let actor = try await workspaceActor(context)
            let members = try await read(UserProjection.self, request, context) { try $0.members(of: actor.workspaceId) }
            return try context.respond(Page(items: members, nextCursor: nil))
        }
        members.put(":userId") { request, context -> Response in
            let actor = try await workspaceActor(context)
            let id = try context.id("userId", as: UserID.self, what: "User")
            let body = try await request.decode(as: RoleBody.self, context: context)
            let changed: Written<UserRoleChanged>
            do {
                changed = try await engine.changeRole(of: id, to: body.role, by: actor)
            } catch let error as DomainError where error.details["unchanged"] == "true" {
                // The role they have already, as the workspace's stream says: a PUT repeated,
                // the same answer and no event.
                let member = try await engine.readNow(UserProjection.self, atLeast: try engine.log.lastPosition()) {
                    try $0.members(of: actor.workspaceId).first { $0.userId == id }
                }
                return try context.respond(member)
            }
            let member = try await engine.readNow(UserProjection.self, atLeast: changed.position) {
                try $0.members(of: actor.workspaceId).first { $0.userId == id }
            }
            return try context.respond(member, position: changed.position)
        }
        members.delete(":userId") { _, context -> Response in
            let actor = try await workspaceActor(context)
            let id = try context.id("userId", as: UserID.self, what: "User")
            return context.noContent(position: try await engine.removeMember(id, by: actor).position)
        }
    }

    /// The caller in the workspace of the path; 404 unless they belong to it.
    func workspaceActor(_ context: APIContext) async throws -> Actor {
        let caller = try context.requireActor()
        let workspace = try context.id("workspaceId", as: WorkspaceID.self, what: "Workspace")
        if workspace == caller.workspaceId { return caller }
        do { return try await engine.actor(caller.userId, in: workspace) } catch let error as DomainError where error.code == .notFound {
            throw APIError.notFound("Workspace", workspace.rawValue)
        }
    }
}
