extension ProjectionRunner {
    /// Why a wait for the projections ended without them reaching its position.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        case timeout(position: UInt64, reached: UInt64)
        case projectionFailed(name: String, reason: String)
        case unknownProjection(String)
        /// The runner was stopped while a read waited for it.
        case stopped(name: String)
        /// A read asked for a position the log does not hold: no write ever returned it, so
        /// waiting would only end in a timeout.
        case beyondLog(position: UInt64, last: UInt64)

        public var description: String {
            switch self {
            case .timeout(let position, let reached):
                "timed out waiting for the projections to reach position \(position) (they are at \(reached))"
            case .projectionFailed(let name, let reason): "projection \(name) has failed: \(reason)"
            case .unknownProjection(let name): "no projection is named '\(name)'"
            case .stopped(let name): "projection \(name) was stopped"
            case .beyondLog(let position, let last): "position \(position) is beyond the end of the log (\(last))"
            }
        }
    }
}
