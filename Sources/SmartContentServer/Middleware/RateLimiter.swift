import Synchronization

/// Token buckets by key (a user id, an IP address): a bucket holds at most `perHour`
/// tokens and refills continuously at `perHour` an hour, so a client may burst up to its
/// hourly allowance and then goes at the steady rate. `perHour` 0 turns the limit off.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public let perHour: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(perHour: Int) { self.perHour = perHour }

    /// Takes a token for `key`; when there is none, how long until there is.
    public func take(_ key: String, now: ContinuousClock.Instant = .now) -> Duration? {
        guard perHour > 0 else { return nil }
        let capacity = Double(perHour), perSecond = Double(perHour) / 3600
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = bucket.updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * perSecond)
            bucket.updated = now
            defer {
                buckets[key] = bucket
                if buckets.count > 100_000 { buckets = buckets.filter { $0.value.tokens < capacity - 1 } }
            }
            guard bucket.tokens >= 1 else { return .seconds((1 - bucket.tokens) / perSecond) }
            bucket.tokens -= 1
            return nil
        }
    }
}
