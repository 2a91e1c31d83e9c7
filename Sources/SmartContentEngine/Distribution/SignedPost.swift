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
        var verdict: AttemptVerdict
        var durationMs: Int
        var response: DeliveryResponse?
        var finishedAt: Instant

        var statusCode: Int? { verdict.statusCode }
        var error: String? { verdict.failure }
        var next: AttemptVerdict.Next { verdict.next }
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

        let verdict = AttemptVerdict(result, attemptInRound: attemptInRound, finishedAt: finished, policy: policy) {
            "HTTP \($0.statusCode)"
        }
        return Outcome(verdict: verdict, durationMs: durationMs, response: try? result.get(), finishedAt: finished)
    }
}
