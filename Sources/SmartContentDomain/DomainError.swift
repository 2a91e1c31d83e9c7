/// Why a command was refused: a stable code, a sentence for people, and details (such as
/// the offending `field`) that the HTTP layer renders as its error envelope.
public struct DomainError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Malformed or out-of-range input (HTTP 400).
        public static let invalidParameters = Code(rawValue: "INVALID_PARAMETERS")
        /// Absent, or in a workspace the caller does not belong to (404).
        public static let notFound = Code(rawValue: "NOT_FOUND")
        /// The caller's role does not allow it (403).
        public static let forbidden = Code(rawValue: "FORBIDDEN")
        /// The resource moved on since the caller read it (409).
        public static let versionConflict = Code(rawValue: "VERSION_CONFLICT")
        /// Already exists: an email already registered, a member already added (409).
        public static let alreadyExists = Code(rawValue: "ALREADY_EXISTS")
        /// Not allowed in the resource's current state: editing deleted content (409).
        public static let invalidState = Code(rawValue: "INVALID_STATE")
        /// Bad credentials (401).
        public static let unauthorized = Code(rawValue: "UNAUTHORIZED")
        /// Too many failed logins (423 in spirit; rendered as 403 or 429 by the server).
        public static let accountLocked = Code(rawValue: "ACCOUNT_LOCKED")

        public var description: String { rawValue }
    }

    public var code: Code
    public var message: String
    public var details: [String: String]

    public init(_ code: Code, _ message: String, details: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }

    public static func invalid(_ field: String, _ message: String) -> DomainError {
        DomainError(.invalidParameters, message, details: ["field": field])
    }

    public static func notFound(_ what: String, _ id: String) -> DomainError {
        DomainError(.notFound, "\(what) \(id) was not found", details: [what.lowercased() + "Id": id])
    }

    public var description: String {
        details.isEmpty ? "\(code): \(message)" : "\(code): \(message) \(details.sorted { $0.key < $1.key })"
    }
}
