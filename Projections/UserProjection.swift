public import SmartContentDomain

/// A user as the platform keeps them: profile, credentials, lockout state.
public struct UserRecord: Hashable, Sendable, BinaryCodable {
    public var userId: UserID
    /// The workspace created at registration.
    public var workspaceId: WorkspaceID
    public var email: String
    public var name: String
    public var bio: String?
    public var timezone: String?
    public var passwordHash: String
    public var failedLogins: Int
    public var lockedUntil: Instant?
    /// Bumped by each password change: sessions issued before it are void.
    public var credentialsVersion: Int
    public var isErased: Bool
    public var createdAt: Instant

    public func encode(to w: inout BinaryWriter) {
        w.write(userId); w.write(workspaceId); w.write(email); w.write(name); w.write(bio); w.write(timezone)
        w.write(passwordHash); w.write(failedLogins); w.write(lockedUntil); w.write(credentialsVersion); w.write(isErased)
        w.write(createdAt)
    }

    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        userId = try r.read(); workspaceId = try r.read(); email = try r.read(); name = try r.read(); bio = try r.read()
        timezone = try r.read(); passwordHash = try r.read(); failedLogins = try r.read(); lockedUntil = try r.read()
        credentialsVersion = try r.read(); isErased = try r.read(); createdAt = try r.read()
    }

    init(_ e: UserRegistered, at time: Instant) {
        userId = e.userId
        workspaceId = e.workspaceId
        email = e.email
        name = e.name
        bio = nil
        timezone = nil
        passwordHash = e.passwordHash
        failedLogins = 0
        lockedUntil = nil
        credentialsVersion = 0
        isErased = false
        createdAt = time
    }

    /// The same user as the rules see them.
    public var state: UserState {
        var state = UserState(UserRegistered(userId: userId, workspaceId: workspaceId, email: email, name: name,
                                             passwordHash: passwordHash))
        state.failedLogins = failedLogins
        state.lockedUntil = lockedUntil
        state.isErased = isErased
        return state
    }

    public func isLocked(at now: Instant) -> Bool { lockedUntil.map { now < $0 } ?? false }
}

public struct WorkspaceRecord: Hashable, Sendable, Codable, BinaryCodable {
    public var workspaceId: WorkspaceID
    public var name: String
    public var ownerId: UserID
    public var createdAt: Instant

    public func encode(to w: inout BinaryWriter) { w.write(workspaceId); w.write(name); w.write(ownerId); w.write(createdAt) }
    public init(workspaceId: WorkspaceID, name: String, ownerId: UserID, createdAt: Instant) {
        self.workspaceId = workspaceId
        self.name = name
        self.ownerId = ownerId
        self.createdAt = createdAt
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        workspaceId = try r.read(); name = try r.read(); ownerId = try r.read(); createdAt = try r.read()
    }
}

/// Users and workspaces: profiles, roles, memberships and lockout state.
///
/// Tables:
/// - `users`: userId → ``UserRecord``
/// - `by-email`: email → userId (erased users leave it)
/// - `workspaces`: workspaceId → ``WorkspaceRecord``
/// - `members`: workspaceId, userId → role
/// - `memberships`: userId, workspaceId → role
public struct UserProjection: Projection {
    public static let name = "users"
    /// Milliseconds of its fold of the 1 M-event benchmark workload (2 cores).
    public static let foldCost = 20
    public static let foldsEngagement = false
    public static let tables = ["users", "by-email", "workspaces", "members", "memberships"]

    public init() {}

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        for projected in events {
            switch projected.event {
            case .userRegistered(let e):
                try store.put("users", OrderedKey(e.userId.rawValue), UserRecord(e, at: projected.recordedAt))
                // An erased subject's email reads as a placeholder, not an address to find.
                if e.email != PersonalField.erased { try store.put("by-email", OrderedKey(e.email), e.userId) }
            case .userProfileUpdated(let e):
                try modify(e.userId, store) { user in
                    if let name = e.name { user.name = name }
                    if let bio = e.bio { user.bio = bio }
                    if let timezone = e.timezone { user.timezone = timezone }
                }
            case .loginFailed(let e):
                try modify(e.userId, store) { $0.failedLogins = e.failedAttempts }
            case .accountLocked(let e):
                // Locking ends every session: tokens name the credentials version they were issued under.
                try modify(e.userId, store) { user in
                    user.lockedUntil = e.until
                    user.credentialsVersion += 1
                }
            case .passwordChanged(let e):
                try modify(e.userId, store) { user in
                    user.passwordHash = e.passwordHash
                    user.failedLogins = 0
                    user.lockedUntil = nil
                    user.credentialsVersion += 1
                }
            case .subjectErased(let e):
                guard let userId = UserID(rawValue: e.subjectId),
                      let user = try store.value("users", OrderedKey(userId.rawValue), as: UserRecord.self)
                else { continue }
                try store.delete("by-email", OrderedKey(user.email))
                try modify(userId, store) { user in
                    user.email = ""
                    user.name = ""
                    user.bio = nil
                    user.timezone = nil
                    user.passwordHash = ""
                    user.isErased = true
                }
            case .workspaceCreated(let e):
                try store.put("workspaces", OrderedKey(e.workspaceId.rawValue), WorkspaceRecord(
                    workspaceId: e.workspaceId, name: e.name, ownerId: e.ownerId, createdAt: projected.recordedAt))
            case .memberAdded(let e):
                try setRole(e.role, of: e.userId, in: e.workspaceId, store)
            case .userRoleChanged(let e):
                try setRole(e.role, of: e.userId, in: e.workspaceId, store)
            case .memberRemoved(let e):
                try store.delete("members", OrderedKey(e.workspaceId.rawValue, e.userId.rawValue))
                try store.delete("memberships", OrderedKey(e.userId.rawValue, e.workspaceId.rawValue))
            default:
                continue
            }
        }
    }

    private func modify(_ id: UserID, _ store: ProjectionWriter, _ change: (inout UserRecord) -> Void) throws {
        let key = OrderedKey(id.rawValue)
        guard var user = try store.value("users", key, as: UserRecord.self) else { return }
        change(&user)
        try store.put("users", key, user)
    }

    private func setRole(_ role: Role, of user: UserID, in workspace: WorkspaceID, _ store: ProjectionWriter) throws {
        try store.put("members", OrderedKey(workspace.rawValue, user.rawValue), role)
        try store.put("memberships", OrderedKey(user.rawValue, workspace.rawValue), role)
    }
}

/// A user as clients see them (never the password hash).
public struct UserProfile: Hashable, Sendable, Codable {
    public var userId: UserID
    /// The workspace the profile is seen from (the request's), of which `role` is the role.
    public var workspaceId: WorkspaceID
    public var email: String
    public var name: String
    public var bio: String?
    public var timezone: String?
    public var role: Role?
    public var locked: Bool
    public var failedLogins: Int
    public var createdAt: Instant
}

/// A workspace as one of its members sees it in their list.
public struct WorkspaceMembership: Hashable, Sendable, Codable {
    public var workspaceId: WorkspaceID
    public var name: String
    public var role: Role
    public var ownerId: UserID
    public var createdAt: Instant
}

public struct Member: Hashable, Sendable, Codable {
    public var userId: UserID
    public var email: String
    public var name: String
    public var role: Role
}

extension UserProjection {
    public struct Queries {
        let reader: ProjectionReader
        public init(_ reader: ProjectionReader) { self.reader = reader }

        public func user(_ id: UserID) throws -> UserRecord? {
            try reader.value("users", OrderedKey(id.rawValue), as: UserRecord.self)
        }

        public func user(email: String) throws -> UserRecord? {
            guard let id = try reader.value("by-email", OrderedKey(email.lowercased()), as: UserID.self) else { return nil }
            return try user(id)
        }

        public func workspace(_ id: WorkspaceID) throws -> WorkspaceRecord? {
            try reader.value("workspaces", OrderedKey(id.rawValue), as: WorkspaceRecord.self)
        }

        public func role(of user: UserID, in workspace: WorkspaceID) throws -> Role? {
            try reader.value("members", OrderedKey(workspace.rawValue, user.rawValue), as: Role.self)
        }

        public func profile(_ id: UserID, in workspace: WorkspaceID, now: Instant) throws -> UserProfile? {
            guard let user = try user(id), !user.isErased else { return nil }
            return UserProfile(userId: user.userId, workspaceId: workspace, email: user.email, name: user.name,
                               bio: user.bio, timezone: user.timezone, role: try role(of: id, in: workspace),
                               locked: user.isLocked(at: now), failedLogins: user.failedLogins, createdAt: user.createdAt)
        }

        public func members(of workspace: WorkspaceID) throws -> [Member] {
            var members: [Member] = []
            let prefix = OrderedKey(workspace.rawValue)
            try reader.scan("members", prefix: prefix) { key, value in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                let userId = UserID(unchecked: parts.string())
                var binary = BinaryReader(value)
                let role = try Role(from: &binary)
                if let user = try user(userId), !user.isErased {
                    members.append(Member(userId: userId, email: user.email, name: user.name, role: role))
                }
                return true
            }
            return members
        }

        /// The workspaces `user` belongs to, with the role in each.
        public func memberships(of user: UserID) throws -> [(WorkspaceID, Role)] {
            var result: [(WorkspaceID, Role)] = []
            let prefix = OrderedKey(user.rawValue)
            try reader.scan("memberships", prefix: prefix) { key, value in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                var binary = BinaryReader(value)
                result.append((WorkspaceID(unchecked: parts.string()), try Role(from: &binary)))
                return true
            }
            return result
        }

        /// The workspaces `user` belongs to, with their role in each, in id order.
        public func workspaces(of user: UserID) throws -> [WorkspaceMembership] {
            try memberships(of: user).compactMap { id, role in
                try workspace(id).map {
                    WorkspaceMembership(workspaceId: id, name: $0.name, role: role, ownerId: $0.ownerId, createdAt: $0.createdAt)
                }
            }
        }
    }
}
