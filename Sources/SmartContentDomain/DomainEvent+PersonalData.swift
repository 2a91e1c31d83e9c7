/// The personal data of the catalog (GDPR): emails, names, free-text profile fields and IP
/// addresses, and the credentials stored beside them. The engine stores these fields sealed
/// under their holder's key (``DomainEvent/keyHolder``) and opens them on read; once the
/// key is destroyed they read as ``PersonalField/erased``.
public enum PersonalField: String, Sendable, CaseIterable {
    case email, name, bio, ipAddress
    /// Credentials: sealed as personal data is, but opened only where the engine uses them
    /// (a login, a delivery's signature); every output shows ``PersonalField/redacted``.
    case passwordHash, secret

    public var isCredential: Bool { self == .passwordHash || self == .secret }

    /// What an erased field reads as.
    public static let erased = "[erased]"
    /// What a credential reads as wherever it is shown.
    public static let redacted = "[redacted]"
}

extension ReaderID {
    /// Whether the id identifies no one by itself: a `usr_…` id or a pseudonym the engine
    /// issued (`rdr_…`). Any other reader id is replaced by a pseudonym before it is stored.
    public var isSurrogate: Bool { UserID.isValid(rawValue) || ReaderPseudonym.isValid(rawValue) }
}

extension DomainEvent {
    /// The types of the events that may carry personal data (``carriesPersonalData``), for
    /// scans of the log that look only at those.
    public static let personalDataTypes: Set<String> = [
        UserRegistered.eventType, UserProfileUpdated.eventType, LoginFailed.eventType, PasswordChanged.eventType,
        ChannelConnected.eventType, ChannelSecretRotated.eventType, WebhookSubscribed.eventType,
    ]

    /// Whether the event carries personal data, so that only these few pay for sealing.
    public var carriesPersonalData: Bool {
        switch self {
        case .userRegistered, .userProfileUpdated, .passwordChanged: true
        case .loginFailed(let e): e.ipAddress != nil
        case .channelConnected(let e): e.secret != nil
        case .channelSecretRotated, .webhookSubscribed: true
        default: false
        }
    }

    /// Whose key seals the event's personal fields: the data subject's, or for a channel's
    /// or webhook subscription's secret its own (destroyed when it is disconnected or
    /// unsubscribed).
    public var keyHolder: String? {
        switch self {
        case .channelConnected(let e): e.channelId.rawValue
        case .channelSecretRotated(let e): e.channelId.rawValue
        case .webhookSubscribed(let e): e.subscriptionId.rawValue
        case .passwordChanged(let e): e.userId.rawValue
        default: subject
        }
    }

    /// The event with every personal field replaced by `transform(field, value)`; absent
    /// optional fields stay absent.
    public func mappingPersonalData(
        _ transform: (_ field: PersonalField, _ value: String) throws -> String
    ) rethrows -> DomainEvent {
        switch self {
        case .userRegistered(var e):
            e.email = try transform(.email, e.email)
            e.name = try transform(.name, e.name)
            e.passwordHash = try transform(.passwordHash, e.passwordHash)
            return .userRegistered(e)
        case .userProfileUpdated(var e):
            if let name = e.name { e.name = try transform(.name, name) }
            if let bio = e.bio { e.bio = try transform(.bio, bio) }
            return .userProfileUpdated(e)
        case .loginFailed(var e):
            if let address = e.ipAddress { e.ipAddress = try transform(.ipAddress, address) }
            return .loginFailed(e)
        case .passwordChanged(var e):
            e.passwordHash = try transform(.passwordHash, e.passwordHash)
            return .passwordChanged(e)
        case .channelConnected(var e):
            if let secret = e.secret { e.secret = try transform(.secret, secret) }
            return .channelConnected(e)
        case .channelSecretRotated(var e):
            e.secret = try transform(.secret, e.secret)
            return .channelSecretRotated(e)
        case .webhookSubscribed(var e):
            e.secret = try transform(.secret, e.secret)
            return .webhookSubscribed(e)
        default:
            return self
        }
    }

    /// Whether the event names a reader by an id that is not a surrogate
    /// (``ReaderID/isSurrogate``), which must become a pseudonym before it is stored.
    public var namesReadersInClear: Bool {
        switch self {
        case .engagementRecorded(let e): e.userId.map { !$0.isSurrogate } ?? false
        case .audienceCreated(let e): e.criteria.members.contains { !$0.isSurrogate }
        case .audienceUpdated(let e): e.criteria.members.contains { !$0.isSurrogate }
        default: false
        }
    }

    /// The event with every reader id it names replaced by `transform(id)`.
    public func mappingReaderIDs(_ transform: (ReaderID) throws -> ReaderID) rethrows -> DomainEvent {
        switch self {
        case .engagementRecorded(var e):
            if let reader = e.userId { e.userId = try transform(reader) }
            return .engagementRecorded(e)
        case .audienceCreated(var e):
            e.criteria.members = try e.criteria.members.map(transform)
            return .audienceCreated(e)
        case .audienceUpdated(var e):
            e.criteria.members = try e.criteria.members.map(transform)
            return .audienceUpdated(e)
        default:
            return self
        }
    }
}
