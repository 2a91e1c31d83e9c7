public struct UserRegistered: DomainEventPayload {
    public static let eventType = "UserRegistered"
    public var userId: UserID
    /// The workspace created for the user, where the user is admin.
    public var workspaceId: WorkspaceID
    public var email: String
    public var name: String
    /// A slow hash (bcrypt) of the password; never the password.
    public var passwordHash: String

    public init(userId: UserID, workspaceId: WorkspaceID, email: String, name: String, passwordHash: String) {
        self.userId = userId
        self.workspaceId = workspaceId
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
    }

    public var stream: String { Streams.user(userId) }
    public var subject: String? { userId.rawValue }
    public var event: DomainEvent { .userRegistered(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(userId); w.write(workspaceId); w.write(email); w.write(name); w.write(passwordHash)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        userId = try r.read(); workspaceId = try r.read(); email = try r.read(); name = try r.read()
        passwordHash = try r.read()
    }
}

public struct UserProfileUpdated: DomainEventPayload {
    public static let eventType = "UserProfileUpdated"
    public var userId: UserID
    public var name: String?
    /// Free text about the user.
    public var bio: String?
    public var timezone: String?

    public init(userId: UserID, name: String? = nil, bio: String? = nil, timezone: String? = nil) {
        self.userId = userId
        self.name = name
        self.bio = bio
        self.timezone = timezone
    }

    public var stream: String { Streams.user(userId) }
    public var subject: String? { userId.rawValue }
    public var event: DomainEvent { .userProfileUpdated(self) }

    public func encode(to w: inout BinaryWriter) { w.write(userId); w.write(name); w.write(bio); w.write(timezone) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        userId = try r.read(); name = try r.read(); bio = try r.read(); timezone = try r.read()
    }
}

public struct UserRoleChanged: DomainEventPayload {
    public static let eventType = "UserRoleChanged"
    public var userId: UserID
    public var workspaceId: WorkspaceID
    public var role: Role
    public var changedBy: UserID

    public init(userId: UserID, workspaceId: WorkspaceID, role: Role, changedBy: UserID) {
        self.userId = userId
        self.workspaceId = workspaceId
        self.role = role
        self.changedBy = changedBy
    }

    public var stream: String { Streams.workspace(workspaceId) }
    public var event: DomainEvent { .userRoleChanged(self) }

    public func encode(to w: inout BinaryWriter) { w.write(userId); w.write(workspaceId); w.write(role); w.write(changedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        userId = try r.read(); workspaceId = try r.read(); role = try r.read(); changedBy = try r.read()
    }
}

public struct LoginFailed: DomainEventPayload {
    public static let eventType = "LoginFailed"
    public var userId: UserID
    /// Consecutive failures so far, this one included.
    public var failedAttempts: Int
    public var ipAddress: String?

    public init(userId: UserID, failedAttempts: Int, ipAddress: String? = nil) {
        self.userId = userId
        self.failedAttempts = failedAttempts
        self.ipAddress = ipAddress
    }

    public var stream: String { Streams.user(userId) }
    public var subject: String? { userId.rawValue }
    public var event: DomainEvent { .loginFailed(self) }

    public func encode(to w: inout BinaryWriter) { w.write(userId); w.write(failedAttempts); w.write(ipAddress) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        userId = try r.read(); failedAttempts = try r.read(); ipAddress = try r.read()
    }
}

public struct AccountLocked: DomainEventPayload {
    public static let eventType = "AccountLocked"
    public var userId: UserID
    public var until: Instant
    public var reason: String

    public init(userId: UserID, until: Instant, reason: String) {
        self.userId = userId
        self.until = until
        self.reason = reason
    }

    public var stream: String { Streams.user(userId) }
    public var event: DomainEvent { .accountLocked(self) }

    public func encode(to w: inout BinaryWriter) { w.write(userId); w.write(until); w.write(reason) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        userId = try r.read(); until = try r.read(); reason = try r.read()
    }
}

public struct PasswordChanged: DomainEventPayload {
    public static let eventType = "PasswordChanged"
    public var userId: UserID
    public var passwordHash: String

    public init(userId: UserID, passwordHash: String) {
        self.userId = userId
        self.passwordHash = passwordHash
    }

    public var stream: String { Streams.user(userId) }
    public var event: DomainEvent { .passwordChanged(self) }

    public func encode(to w: inout BinaryWriter) { w.write(userId); w.write(passwordHash) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        userId = try r.read(); passwordHash = try r.read()
    }
}

public struct WorkspaceCreated: DomainEventPayload {
    public static let eventType = "WorkspaceCreated"
    public var workspaceId: WorkspaceID
    public var name: String
    public var ownerId: UserID

    public init(workspaceId: WorkspaceID, name: String, ownerId: UserID) {
        self.workspaceId = workspaceId
        self.name = name
        self.ownerId = ownerId
    }

    public var stream: String { Streams.workspace(workspaceId) }
    public var event: DomainEvent { .workspaceCreated(self) }

    public func encode(to w: inout BinaryWriter) { w.write(workspaceId); w.write(name); w.write(ownerId) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        workspaceId = try r.read(); name = try r.read(); ownerId = try r.read()
    }
}

public struct MemberAdded: DomainEventPayload {
    public static let eventType = "MemberAdded"
    public var workspaceId: WorkspaceID
    public var userId: UserID
    public var role: Role
    public var addedBy: UserID

    public init(workspaceId: WorkspaceID, userId: UserID, role: Role, addedBy: UserID) {
        self.workspaceId = workspaceId
        self.userId = userId
        self.role = role
        self.addedBy = addedBy
    }

    public var stream: String { Streams.workspace(workspaceId) }
    public var event: DomainEvent { .memberAdded(self) }

    public func encode(to w: inout BinaryWriter) { w.write(workspaceId); w.write(userId); w.write(role); w.write(addedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        workspaceId = try r.read(); userId = try r.read(); role = try r.read(); addedBy = try r.read()
    }
}

public struct MemberRemoved: DomainEventPayload {
    public static let eventType = "MemberRemoved"
    public var workspaceId: WorkspaceID
    public var userId: UserID
    public var removedBy: UserID

    public init(workspaceId: WorkspaceID, userId: UserID, removedBy: UserID) {
        self.workspaceId = workspaceId
        self.userId = userId
        self.removedBy = removedBy
    }

    public var stream: String { Streams.workspace(workspaceId) }
    public var event: DomainEvent { .memberRemoved(self) }

    public func encode(to w: inout BinaryWriter) { w.write(workspaceId); w.write(userId); w.write(removedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        workspaceId = try r.read(); userId = try r.read(); removedBy = try r.read()
    }
}

/// A data subject (a user, or any reader id seen in engagement) was erased: their key is
/// destroyed and every projection forgets them.
public struct SubjectErased: DomainEventPayload {
    public static let eventType = "SubjectErased"
    public var subjectId: String
    public var erasedBy: String

    public init(subjectId: String, erasedBy: String) {
        self.subjectId = subjectId
        self.erasedBy = erasedBy
    }

    public var stream: String { Streams.subject(subjectId) }
    public var event: DomainEvent { .subjectErased(self) }

    public func encode(to w: inout BinaryWriter) { w.write(subjectId); w.write(erasedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        subjectId = try r.read(); erasedBy = try r.read()
    }
}
