/// Who issues a command, in which workspace, with which role there.
public struct Actor: Hashable, Sendable {
    public var userId: UserID
    public var workspaceId: WorkspaceID
    public var role: Role

    public init(userId: UserID, workspaceId: WorkspaceID, role: Role) {
        self.userId = userId
        self.workspaceId = workspaceId
        self.role = role
    }

    /// Viewers read; editors and admins write.
    public func requireWriter(_ action: String) throws(DomainError) {
        guard role >= .editor else {
            throw DomainError(.forbidden, "a viewer cannot \(action)", details: ["role": role.rawValue])
        }
    }

    public func requireAdmin(_ action: String) throws(DomainError) {
        guard role == .admin else {
            throw DomainError(.forbidden, "only an admin can \(action)", details: ["role": role.rawValue])
        }
    }
}
