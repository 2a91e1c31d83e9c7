/// A user account as the rules see it.
public struct UserState: Hashable, Sendable {
    public var userId: UserID
    public var email: String
    public var name: String
    public var passwordHash: String
    /// Consecutive failed logins since the last success or password change.
    public var failedLogins: Int
    public var lockedUntil: Instant?
    public var isErased: Bool

    public init(_ registered: UserRegistered) {
        userId = registered.userId
        email = registered.email
        name = registered.name
        passwordHash = registered.passwordHash
        failedLogins = 0
        lockedUntil = nil
        isErased = false
    }

    public mutating func apply(_ event: DomainEvent) {
        switch event {
        case .userProfileUpdated(let e) where e.userId == userId:
            if let name = e.name { self.name = name }
        case .loginFailed(let e) where e.userId == userId:
            failedLogins = e.failedAttempts
        case .accountLocked(let e) where e.userId == userId:
            lockedUntil = e.until
        case .passwordChanged(let e) where e.userId == userId:
            passwordHash = e.passwordHash
            failedLogins = 0
            lockedUntil = nil
        case .subjectErased(let e) where e.subjectId == userId.rawValue:
            isErased = true
        default:
            break
        }
    }

    public func isLocked(at now: Instant) -> Bool { lockedUntil.map { now < $0 } ?? false }
}

/// A workspace and its members.
public struct WorkspaceState: Hashable, Sendable {
    public var workspaceId: WorkspaceID
    public var name: String
    public var ownerId: UserID
    public var members: [UserID: Role]

    public init(_ created: WorkspaceCreated) {
        workspaceId = created.workspaceId
        name = created.name
        ownerId = created.ownerId
        members = [:]
    }

    public mutating func apply(_ event: DomainEvent) {
        switch event {
        case .memberAdded(let e) where e.workspaceId == workspaceId: members[e.userId] = e.role
        case .memberRemoved(let e) where e.workspaceId == workspaceId: members[e.userId] = nil
        case .userRoleChanged(let e) where e.workspaceId == workspaceId: members[e.userId] = e.role
        default: break
        }
    }
}

public enum UserRules {
    /// Failed logins that lock an account.
    public static let maxFailedLogins = 5
    /// How long a lock lasts.
    public static let lockDuration: Int64 = 15 * 60 * 1000

    /// Registering creates the user, their own workspace, and makes them its admin.
    /// The name of the workspace made for each new user.
    public static let defaultWorkspaceName = "Personal workspace"

    /// `passwordHash` is computed by the caller (a slow hash: bcrypt) once `password` passed
    /// ``Validation/password(_:field:)``.
    public static func register(
        email: String, name: String, passwordHash: String, emailTaken: Bool,
        userId: UserID = .generate(), workspaceId: WorkspaceID = .generate()
    ) throws(DomainError) -> [DomainEvent] {
        let email = try Validation.email(email)
        let name = try Validation.name(name)
        guard !emailTaken else {
            throw DomainError(.alreadyExists, "an account with this email already exists", details: ["field": "email"])
        }
        return [
            UserRegistered(userId: userId, workspaceId: workspaceId, email: email, name: name, passwordHash: passwordHash).event,
            // Not named after the user: a workspace name is no personal field, and an
            // erasure would leave it behind.
            WorkspaceCreated(workspaceId: workspaceId, name: Self.defaultWorkspaceName, ownerId: userId).event,
            MemberAdded(workspaceId: workspaceId, userId: userId, role: .admin, addedBy: userId).event,
        ]
    }

    /// Refuses a login attempt on a locked or erased account before the password is checked.
    public static func checkCanLogIn(_ user: UserState, now: Instant) throws(DomainError) {
        guard !user.isErased else { throw DomainError(.unauthorized, "invalid email or password") }
        if user.isLocked(at: now), let until = user.lockedUntil {
            throw DomainError(.accountLocked, "the account is locked after too many failed logins",
                              details: ["lockedUntil": until.iso8601])
        }
    }

    /// The events of a wrong password: a `LoginFailed`, and an `AccountLocked` at the fifth
    /// in a row (counted since the last password change or the end of the last lock).
    public static func failedLogin(_ user: UserState, ipAddress: String?, now: Instant) -> [DomainEvent] {
        // A lock that has run out starts the count again.
        let lockExpired = user.lockedUntil.map { now >= $0 } ?? false
        let attempts = (lockExpired ? 0 : user.failedLogins) + 1
        var events = [LoginFailed(userId: user.userId, failedAttempts: attempts, ipAddress: ipAddress).event]
        if attempts >= maxFailedLogins {
            events.append(AccountLocked(userId: user.userId, until: now.adding(milliseconds: lockDuration),
                                        reason: "\(attempts) failed logins").event)
        }
        return events
    }

    public static func changePassword(_ user: UserState, newPasswordHash: String) -> PasswordChanged {
        PasswordChanged(userId: user.userId, passwordHash: newPasswordHash)
    }

    public static func addMember(
        _ userId: UserID, role: Role, to workspace: WorkspaceState?, by actor: Actor
    ) throws(DomainError) -> MemberAdded {
        let workspace = try administered(workspace, actor, action: "add members")
        guard workspace.members[userId] == nil else {
            throw DomainError(.alreadyExists, "\(userId) is already a member", details: ["field": "email"])
        }
        return MemberAdded(workspaceId: workspace.workspaceId, userId: userId, role: role, addedBy: actor.userId)
    }

    public static func changeRole(
        _ userId: UserID, to role: Role, in workspace: WorkspaceState?, by actor: Actor
    ) throws(DomainError) -> UserRoleChanged {
        let workspace = try administered(workspace, actor, action: "change roles")
        guard let current = workspace.members[userId] else { throw .notFound("User", userId.rawValue) }
        guard current != role else {
            throw DomainError(.invalidState, "\(userId) already has role \(role.rawValue)", details: ["unchanged": "true"])
        }
        if current == .admin, role != .admin, workspace.members.values.filter({ $0 == .admin }).count == 1 {
            throw DomainError(.invalidState, "a workspace keeps at least one admin")
        }
        return UserRoleChanged(userId: userId, workspaceId: workspace.workspaceId, role: role, changedBy: actor.userId)
    }

    public static func removeMember(
        _ userId: UserID, from workspace: WorkspaceState?, by actor: Actor
    ) throws(DomainError) -> MemberRemoved {
        let workspace = try administered(workspace, actor, action: "remove members")
        guard let current = workspace.members[userId] else { throw .notFound("User", userId.rawValue) }
        if current == .admin, workspace.members.values.filter({ $0 == .admin }).count == 1 {
            throw DomainError(.invalidState, "a workspace keeps at least one admin")
        }
        return MemberRemoved(workspaceId: workspace.workspaceId, userId: userId, removedBy: actor.userId)
    }

    static func administered(_ workspace: WorkspaceState?, _ actor: Actor, action: String) throws(DomainError) -> WorkspaceState {
        guard let workspace, workspace.workspaceId == actor.workspaceId, workspace.members[actor.userId] != nil else {
            throw .notFound("Workspace", actor.workspaceId.rawValue)
        }
        try actor.requireAdmin(action)
        return workspace
    }
}
