/// How deliveries are attempted (DESIGN section 9: `SMARTCONTENT_DISTRIBUTION_*`).
public struct DeliveryPolicy: Sendable {
    /// Attempts before a delivery is dead-lettered.
    public var maxAttempts = 5
    /// Delay before the first retry, doubled for each one after, with jitter.
    public var firstRetryDelay: Duration = .seconds(1)
    public var maxRetryDelay: Duration = .seconds(3600)
    /// An attempt that has not answered by then counts as failed (and is retried).
    public var timeout: Duration = .seconds(10)
    /// Attempts in flight to one channel at once: a slow channel holds only its own.
    public var concurrencyPerChannel = 8
    /// Attempts in flight in all.
    public var maxInFlight = 256
    /// A channel whose every attempt failed for this long is paused.
    public var pauseAfter: Duration = .seconds(86_400)
    /// How often to look for work queued by another process on the store.
    public var pollInterval: Duration = .milliseconds(200)

    public init() {}

    /// Whether an answer with this status is worth another attempt: a timeout, throttling
    /// or a server error. Other 4xx say the request itself is wrong.
    public static func isRetryable(statusCode: Int) -> Bool {
        statusCode == 408 || statusCode == 429 || (500...599).contains(statusCode)
    }

    /// The wait before the attempt after `attempt` (from 1): half the doubled delay fixed,
    /// half random ("equal jitter"), so retries spread out yet grow; never shorter than
    /// what the receiver asked for with `Retry-After`.
    public func retryDelay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration {
        let doubled = firstRetryDelay * (1 << min(max(attempt - 1, 0), 30))
        let capped = min(doubled, maxRetryDelay)
        let half = capped / 2
        let jitter = Duration.milliseconds(Int64.random(in: 0...max(half.milliseconds, 0)))
        return min(max(half + jitter, retryAfter ?? .zero), maxRetryDelay)
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
