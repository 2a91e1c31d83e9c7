import Foundation
import SmartContentDomain

/// What one sent attempt came to and what the policy makes of it: the single rule for
/// channel deliveries (``Distributor``) and integrators' webhooks (``WebhookDispatcher``),
/// so both retry, give up and dead-letter alike.
struct AttemptVerdict: Sendable, Equatable {
    enum Next: Sendable, Equatable {
        case delivered
        case retry(at: Instant)
        /// The receiver refused it (a 4xx other than 408 and 429), or the request could not
        /// be made (an unusable URL, content the channel cannot take).
        case failed
        case deadLettered
    }

    var statusCode: Int?
    /// Why the attempt failed; nil when delivered.
    var failure: String?
    var next: Next

    /// Judges `result`, the `attemptInRound`-th attempt (from 1) since the delivery was
    /// last (re)queued, finished at `finishedAt`. `describe` says why a non-2xx answer
    /// failed, in the receiver's terms.
    init(_ result: Result<DeliveryResponse, DeliveryTransportError>, attemptInRound: Int, finishedAt: Instant,
         policy: DeliveryPolicy, describing describe: (DeliveryResponse) -> String) {
        var retryable = true
        var retryAfter: Duration?
        switch result {
        case .success(let response):
            statusCode = response.statusCode
            if !(200..<300).contains(response.statusCode) {
                failure = describe(response)
                retryable = DeliveryPolicy.isRetryable(statusCode: response.statusCode)
                retryAfter = response.retryAfter.flatMap { Self.retryAfter($0, now: finishedAt) }
            }
        case .failure(let error):
            failure = error.message
            retryable = error.code.isRetryable
        }
        if failure == nil {
            next = .delivered
        } else if !retryable {
            next = .failed
        } else if attemptInRound >= policy.maxAttempts {
            next = .deadLettered
        } else {
            let delay = policy.retryDelay(afterAttempt: attemptInRound, retryAfter: retryAfter)
            next = .retry(at: finishedAt.adding(milliseconds: delay.milliseconds))
        }
    }

    /// `Retry-After` in seconds or as an HTTP date.
    static func retryAfter(_ value: String, now: Instant) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed) { return .seconds(max(seconds, 0)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        let millis = Int64(date.timeIntervalSince1970 * 1000) - now.millisecondsSince1970
        return .milliseconds(max(millis, 0))
    }
}
