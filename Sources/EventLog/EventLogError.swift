public import LMDB

/// Every way an operation on the ``EventLog`` can fail.
public enum EventLogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stream is not at the version the append expected (`actual` is `nil` when the
    /// stream does not exist). Nothing was appended.
    case wrongExpectedVersion(stream: StreamName, expected: ExpectedVersion, actual: UInt64?)
    /// The event id is already in the log with a different stream, type or payload, or an
    /// append repeated only part of an earlier one. Nothing was appended.
    case eventIDConflict(id: EventID, existingPosition: UInt64, reason: String)
    case invalidStreamName(String, reason: String)
    /// The event or request is malformed (empty type, oversized field, duplicate id …).
    case invalidEvent(String)
    /// A record failed its checksum or could not be decoded.
    case corruptRecord(position: UInt64, reason: String)
    /// The store was written by a newer or unknown version of the format.
    case unsupportedFormat(String)
    /// The LMDB layer failed.
    case storage(LMDBError)
    /// The log was closed.
    case closed

    public var description: String {
        switch self {
        case .wrongExpectedVersion(let stream, let expected, let actual):
            "wrong expected version for stream '\(stream)': expected \(expected), "
                + "actual \(actual.map(String.init) ?? "no stream")"
        case .eventIDConflict(let id, let position, let reason):
            "event id \(id) conflicts with the event at position \(position): \(reason)"
        case .invalidStreamName(let name, let reason):
            "invalid stream name '\(name.prefix(80))': \(reason)"
        case .invalidEvent(let reason): "invalid event: \(reason)"
        case .corruptRecord(let position, let reason): "corrupt record at position \(position): \(reason)"
        case .unsupportedFormat(let reason): "unsupported store format: \(reason)"
        case .storage(let error): "storage error: \(error)"
        case .closed: "the event log is closed"
        }
    }
}
