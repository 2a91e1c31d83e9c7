extension ProjectionRunner {
    /// Where one projection stands.
    public struct Status: Sendable, Hashable, Codable {
        public enum State: String, Sendable, Codable {
            case catchingUp = "catching_up"
            case live
            case failed
            case stopped
        }

        public var name: String
        public var checkpoint: UInt64
        /// Events of the log not yet folded.
        public var lag: UInt64
        public var state: State
        public var error: String?

        /// DESIGN's field names: `smartcontent projections` and `GET /v1/projections`.
        enum CodingKeys: String, CodingKey {
            case name, checkpoint, lag, error
            case state = "status"
        }
    }
}
