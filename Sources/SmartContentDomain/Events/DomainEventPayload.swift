/// One kind of event of the catalog: its type name and schema version on the log, the
/// stream it belongs to, its JSON form (field names as DESIGN section 3 gives them) and
/// its binary form on disk.
public protocol DomainEventPayload: Codable, Hashable, Sendable, BinaryCodable {
    /// The event type on the log, e.g. `ContentCreated`.
    static var eventType: String { get }
    /// The schema version written today; older versions are upcast on read.
    static var schemaVersion: UInt16 { get }
    /// The stream the event is appended to, e.g. `content-cnt_1`.
    var stream: String { get }
    /// The data subject whose personal data the event carries, if any (GDPR).
    var subject: String? { get }
    /// Wraps the payload in the catalog's enum.
    var event: DomainEvent { get }
}

extension DomainEventPayload {
    public static var schemaVersion: UInt16 { 1 }
    public var subject: String? { nil }
}

/// Roles within a workspace.
public enum Role: String, Codable, Sendable, CaseIterable, BinaryCodable, Comparable {
    case viewer, editor, admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .editor: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
