import EventLog
import Foundation
public import SmartContentDomain
public import SmartContentProjections
import Synchronization

/// A user just registered, with the workspace made for them.
public struct RegisteredUser: Hashable, Sendable, Codable {
    public var userId: UserID
    public var workspaceId: WorkspaceID
    public var email: String
    public var name: String
    public var role: Role
}

extension SmartContentEngine {
    /// The actor for `user` in `workspace` (their own by default), with their role there.
    ///
    /// - Throws: `DomainError.notFound` when the user is unknown or erased, or not a member
    ///   of the workspace (absent and forbidden look the same).
    public func actor(_ user: UserID, in workspace: WorkspaceID? = nil) async throws -> Actor {
        try await read(UserProjection.self, atLeast: log.head.head) { queries in
            guard let record = try queries.user(user), !record.isErased else { throw DomainError.notFound("User", user.rawValue) }
            let target = workspace ?? record.workspaceId
            guard let role = try queries.role(of: user, in: target) else { throw DomainError.notFound("Workspace", target.rawValue) }
            return Actor(userId: user, workspaceId: target, role: role)
        }
    }

    /// Registers a user with their own workspace, where they are admin. The password must
    /// be 12+ characters of mixed classes; it is stored as a bcrypt hash.
    @discardableResult
    public func register(email: String, password: String, name: String) async throws -> Written<RegisteredUser> {
        try Validation.password(password)
        let normalized = try Validation.email(email)
        let cleanName = try Validation.name(name)
        let hash = try await log.offload { self.configuration.passwordHasher.hash(password) }
        // One registration at a time, against a users projection that has seen the whole
        // log: two registrations of one email cannot both pass.
        return try await registrations.serialize { [self] in
            let taken = try await read(UserProjection.self, atLeast: try log.lastPosition()) { try $0.user(email: normalized) != nil }
            let userId = UserID.generate(), workspaceId = WorkspaceID.generate()
            let events = try UserRules.register(email: normalized, name: cleanName, passwordHash: hash, emailTaken: taken,
                                                userId: userId, workspaceId: workspaceId)
            let position = try await append(events, by: userId.rawValue, workspace: workspaceId,
                                            expected: [Streams.user(userId): .noStream, Streams.workspace(workspaceId): .noStream])
            try await projections.waitUntil(position: position, projection: UserProjection.name, timeout: configuration.readTimeout)
            return Written(value: RegisteredUser(userId: userId, workspaceId: workspaceId, email: normalized, name: cleanName,
                                                 role: .admin), position: position)
        }
    }

    /// Checks a login. A wrong password records `LoginFailed` (and `AccountLocked` at the
    /// fifth in a row); a locked account is refused before the password is checked.
    ///
    /// An unknown email, a wrong password and a locked account answer alike, after the same
    /// bcrypt work: an attacker learns neither which emails exist nor which are locked.
    ///
    /// - Throws: `DomainError` `.unauthorized`, "invalid email or password", in every case.
    public func authenticate(email: String, password: String, ipAddress: String? = nil) async throws -> UserRecord {
        let refused = DomainError(.unauthorized, "invalid email or password")
        let normalized = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let record = try await read(UserProjection.self, atLeast: log.head.head) { try $0.user(email: normalized) }
        let now = self.now
        guard let record, !record.isErased, (try? UserRules.checkCanLogIn(record.state, now: now)) != nil else {
            _ = try await log.offload { self.configuration.passwordHasher.verify(password, against: Self.decoyHash) }
            throw refused
        }
        let matches = try await log.offload { try self.passwordMatches(password, record) }
        guard matches else {
            let events = UserRules.failedLogin(record.state, ipAddress: ipAddress, now: now)
            let position = try await append(events, by: record.userId.rawValue, workspace: record.workspaceId)
            try? await projections.waitUntil(position: position, projection: UserProjection.name,
                                             timeout: configuration.readTimeout)
            throw refused
        }
        return record
    }

    /// Checks `password` against the user's hash, which the users projection holds sealed.
    private func passwordMatches(_ password: String, _ record: UserRecord) throws -> Bool {
        guard let hash = try vault.openCredential(record.passwordHash, field: .passwordHash, holder: record.userId.rawValue)
        else { return false }
        return configuration.passwordHasher.verify(password, against: hash)
    }

    static let decoyHash = BcryptPasswordHasher(cost: 10).hash("decoy password for unknown accounts")

    @discardableResult
    public func changePassword(_ user: UserID, current: String, new: String) async throws -> Written<PasswordChanged> {
        try Validation.password(new, field: "newPassword")
        guard let record = try await read(UserProjection.self, atLeast: log.head.head, { try $0.user(user) }), !record.isErased else {
            throw DomainError.notFound("User", user.rawValue)
        }
        let matches = try await log.offload { try self.passwordMatches(current, record) }
        guard matches else { throw DomainError(.unauthorized, "the current password is wrong", details: ["field": "password"]) }
        let hash = try await log.offload { self.configuration.passwordHasher.hash(new) }
        let event = UserRules.changePassword(record.state, newPasswordHash: hash)
        let position = try await append([event.event], by: user.rawValue, workspace: record.workspaceId)
        return Written(value: event, position: position)
    }

    @discardableResult
    public func updateProfile(_ user: UserID, name: String?, bio: String?, timezone: String?) async throws
        -> Written<UserProfileUpdated> {
        let name = try name.map { (n: String) throws(DomainError) in try Validation.name(n) }
        if let bio, !Validation.bioLength.contains(bio.count) {
            throw DomainError.invalid("bio", "bio must be at most \(Validation.bioLength.upperBound) characters")
        }
        if let timezone { try Validation.timezone(timezone) }
        guard name != nil || bio != nil || timezone != nil else {
            throw DomainError(.invalidParameters, "an update must change at least one field")
        }
        let actor = try await actor(user)
        let event = UserProfileUpdated(userId: user, name: name, bio: bio, timezone: timezone)
        let position = try await append([event.event], by: user.rawValue, workspace: actor.workspaceId)
        return Written(value: event, position: position)
    }

    /// Creates another workspace, with `user` as its owner and admin.
    @discardableResult
    public func createWorkspace(name: String, by user: UserID) async throws -> Written<WorkspaceCreated> {
        let name = try Validation.name(name)
        _ = try await actor(user)
        let workspace = WorkspaceID.generate()
        let created = WorkspaceCreated(workspaceId: workspace, name: name, ownerId: user)
        let position = try await append(
            [created.event, MemberAdded(workspaceId: workspace, userId: user, role: .admin, addedBy: user).event],
            by: user.rawValue, workspace: workspace, expected: [Streams.workspace(workspace): .noStream])
        return Written(value: created, position: position)
    }

    /// Adds an existing user (by email) to the actor's workspace. Admins only.
    @discardableResult
    public func addMember(email: String, role: Role, by actor: Actor) async throws -> Written<MemberAdded> {
        let normalized = try Validation.email(email)
        let user = try await read(UserProjection.self, atLeast: log.head.head) { try $0.user(email: normalized) }
        try actor.requireAdmin("add members")
        guard let user, !user.isErased else {
            throw DomainError(.notFound, "no user has this email", details: ["field": "email"])
        }
        return try await execute(on: Streams.workspace(actor.workspaceId), by: actor) { loaded in
            let (workspace, actor) = Self.workspace(loaded, as: actor)
            let added = try UserRules.addMember(user.userId, role: role, to: workspace, by: actor)
            return ([added.event], added)
        }
    }

    @discardableResult
    public func changeRole(of user: UserID, to role: Role, by actor: Actor) async throws -> Written<UserRoleChanged> {
        try await execute(on: Streams.workspace(actor.workspaceId), by: actor) { loaded in
            let (workspace, actor) = Self.workspace(loaded, as: actor)
            let changed = try UserRules.changeRole(user, to: role, in: workspace, by: actor)
            return ([changed.event], changed)
        }
    }

    @discardableResult
    public func removeMember(_ user: UserID, by actor: Actor) async throws -> Written<MemberRemoved> {
        try await execute(on: Streams.workspace(actor.workspaceId), by: actor) { loaded in
            let (workspace, actor) = Self.workspace(loaded, as: actor)
            let removed = try UserRules.removeMember(user, from: workspace, by: actor)
            return ([removed.event], removed)
        }
    }
}

extension SmartContentEngine {
    /// The workspace as its own stream says, and the actor with the role it gives them
    /// there: membership rules decide on the state their append is checked against, so two
    /// admins removing each other at once cannot both pass (the projection may lag behind).
    static func workspace(_ loaded: LoadedStream, as actor: Actor) -> (WorkspaceState?, Actor) {
        var state: WorkspaceState?
        for (event, _) in loaded.events {
            if case .workspaceCreated(let created) = event { state = WorkspaceState(created) } else { state?.apply(event) }
        }
        var current = actor
        if let role = state?.members[actor.userId] { current.role = role }
        return (state, current)
    }
}

/// Runs operations one at a time, in arrival order.
final class SerialGate: Sendable {
    private let tail = Mutex<Task<Void, Never>?>(nil)

    func serialize<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let (previous, mine) = tail.withLock { tail -> (Task<Void, Never>?, Task<Result<T, any Error>, Never>) in
            let previous = tail
            let mine = Task<Result<T, any Error>, Never> {
                await previous?.value
                do { return .success(try await operation()) } catch { return .failure(error) }
            }
            tail = Task { _ = await mine.value }
            return (previous, mine)
        }
        _ = previous
        return try await mine.value.get()
    }
}
