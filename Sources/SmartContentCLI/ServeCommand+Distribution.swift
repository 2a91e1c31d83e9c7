import ArgumentParser
import SmartContent
import SmartContentDomain

extension ServeCommand {
    /// The delivery policy from `SMARTCONTENT_DISTRIBUTION_*` and `SMARTCONTENT_CHANNEL_PAUSE_AFTER`.
    func resolvedDeliveryPolicy() throws(ValidationError) -> DeliveryPolicy {
        var policy = DeliveryPolicy()
        func integer(_ name: String, _ range: ClosedRange<Int>) throws(ValidationError) -> Int? {
            guard let text = environment(name) else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw ValidationError("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        if let attempts = try integer("SMARTCONTENT_DISTRIBUTION_MAX_ATTEMPTS", 1...100) { policy.maxAttempts = attempts }
        if let backoff = try integer("SMARTCONTENT_DISTRIBUTION_BACKOFF_MS", 1...3_600_000) {
            policy.firstRetryDelay = .milliseconds(backoff)
        }
        if let timeout = try integer("SMARTCONTENT_DISTRIBUTION_TIMEOUT_MS", 100...600_000) { policy.timeout = .milliseconds(timeout) }
        if let concurrency = try integer("SMARTCONTENT_DISTRIBUTION_CONCURRENCY", 1...256) { policy.concurrencyPerChannel = concurrency }
        if let text = environment("SMARTCONTENT_CHANNEL_PAUSE_AFTER") {
            guard let pause = ScheduleGrace.parse(text), pause > .zero else {
                throw ValidationError("SMARTCONTENT_CHANNEL_PAUSE_AFTER must be a duration such as 90m, 24h or 2d")
            }
            policy.pauseAfter = pause
        }
        return policy
    }
}
