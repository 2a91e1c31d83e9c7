/// The personal data of the catalog (GDPR): emails, names, free-text profile fields and IP
/// addresses. The engine stores these fields sealed under their subject's key and opens
/// them on read; once the key is destroyed they read as ``PersonalField/erased``.
public enum PersonalField: String, Sendable, CaseIterable {
    case email, name, bio, ipAddress

    /// What an erased field reads as.
    public static let erased = "[erased]"
}

extension DomainEvent {
    /// The types of the events that may carry personal data (``carriesPersonalData``), for
    /// scans of the log that look only at those.
    public static let personalDataTypes: Set<String> = [
        UserRegistered.eventType, UserProfileUpdated.eventType, LoginFailed.eventType,
    ]

    /// Whether the event carries personal data, so that only these few pay for sealing.
    public var carriesPersonalData: Bool {
        switch self {
        case .userRegistered, .userProfileUpdated: true
        case .loginFailed(let e): e.ipAddress != nil
        default: false
        }
    }

    /// The event with every personal field replaced by `transform(field, value)`; absent
    /// optional fields stay absent. `subject` is ``DomainEventPayload/subject``.
    public func mappingPersonalData(
        _ transform: (_ field: PersonalField, _ value: String) throws -> String
    ) rethrows -> DomainEvent {
        switch self {
        case .userRegistered(var e):
            e.email = try transform(.email, e.email)
            e.name = try transform(.name, e.name)
            return .userRegistered(e)
        case .userProfileUpdated(var e):
            if let name = e.name { e.name = try transform(.name, name) }
            if let bio = e.bio { e.bio = try transform(.bio, bio) }
            return .userProfileUpdated(e)
        case .loginFailed(var e):
            if let address = e.ipAddress { e.ipAddress = try transform(.ipAddress, address) }
            return .loginFailed(e)
        default:
            return self
        }
    }
}
