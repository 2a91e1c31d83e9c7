import Foundation
import SmartContentDomain

/// One Standard Webhooks POST and what the policy makes of its answer: how channel
/// deliveries (``Distributor``) and integrators' webhooks (``WebhookDispatcher``) both
/// send, so they sign, time out and retry alike.
struct SignedPost: Sendable {
    var url: String
    /// The same for every attempt of a message: receivers deduplicate on it.
    var webhookId: String
    var body: [UInt8]

    /// What the attempt came to.
    struct Outcome: Sendable {
        enum Next: Sendable, Equatable {
            case delivered
            case retry(at: Instant)
            /// The receiver refused it (a 4xx other than 408 and 429) or the URL is unusable.
            case failed
            case deadLettered
        }

        var statusCode: Int?
        var error: String?
        var durationMs: Int
        var next: Next
        var response: DeliveryResponse?
        var finishedAt: Instant
    }

    /// Sends the message signed by `signature` (unsigned when nil) and decides what comes
    /// next: `attemptInRound` counts from 1 since the message was last (re)queued.
    func send(signature: WebhookSignature?, attemptInRound: Int, policy: DeliveryPolicy, transport: any DeliveryTransport,
              clock now: () -> Instant) async -> Outcome {
        let timestamp = now().millisecondsSince1970 / 1000
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("User-Agent", "SmartContent-Webhooks/1"),
            ("webhook-id", webhookId),
            ("webhook-timestamp", "\(timestamp)"),
            ("Idempotency-Key", webhookId),
        ]
        if let header = signature?.header(id: webhookId, timestamp: timestamp, body: body) {
            headers.append(("webhook-signature", header))
        }
        let clock = ContinuousClock()
        let started = clock.now
        let result: Result<DeliveryResponse, DeliveryTransportError>
        do {
            result = .success(try await transport.send(DeliveryRequest(url: url, headers: headers, body: body, timeout: policy.timeout)))
        } catch {
            result = .failure(error)
        }
        let durationMs = Int((clock.now - started).milliseconds)
        let finished = now()

        var statusCode: Int?
        var failure: String?
        var retryable = true
        var retryAfter: Duration?
        var response: DeliveryResponse?
        switch result {
        case .success(let answer):
            response = answer
            statusCode = answer.statusCode
            if !(200..<300).contains(answer.statusCode) {
                failure = "HTTP \(answer.statusCode)"
                retryable = DeliveryPolicy.isRetryable(statusCode: answer.statusCode)
                retryAfter = answer.retryAfter.flatMap { Distributor.retryAfter($0, now: finished) }
            }
        case .failure(let error):
            failure = error.message
            retryable = error.code != .invalidURL
        }
        let next: Outcome.Next
        if failure == nil {
            next = .delivered
        } else if !retryable {
            next = .failed
        } else if attemptInRound >= policy.maxAttempts {
            next = .deadLettered
        } else {
            let delay = policy.retryDelay(afterAttempt: attemptInRound, retryAfter: retryAfter)
            next = .retry(at: finished.adding(milliseconds: delay.milliseconds))
        }
        return Outcome(statusCode: statusCode, error: failure, durationMs: durationMs, next: next, response: response,
                       finishedAt: finished)
    }
}
