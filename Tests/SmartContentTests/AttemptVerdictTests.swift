@testable import SmartContent
import SmartContentDomain
import Testing

/// The one rule by which channel deliveries and integrators' webhooks decide what an
/// attempt's answer means.
@Suite struct AttemptVerdictTests {
    let finished = Instant(iso8601: "2026-02-15T10:00:00Z")!
    var policy: DeliveryPolicy {
        var policy = DeliveryPolicy()
        policy.maxAttempts = 3
        policy.firstRetryDelay = .seconds(2)
        return policy
    }

    func verdict(_ result: Result<DeliveryResponse, DeliveryTransportError>, attempt: Int = 1) -> AttemptVerdict {
        AttemptVerdict(result, attemptInRound: attempt, finishedAt: finished, policy: policy) { "HTTP \($0.statusCode)" }
    }

    @Test func aSuccessIsDelivered() {
        let delivered = verdict(.success(DeliveryResponse(statusCode: 202)))
        #expect(delivered.statusCode == 202 && delivered.failure == nil && delivered.next == .delivered)
    }

    @Test func aRefusalFailsForGoodAndAServerErrorIsRetried() {
        #expect(verdict(.success(DeliveryResponse(statusCode: 404))).next == .failed)
        #expect(verdict(.success(DeliveryResponse(statusCode: 404))).failure == "HTTP 404")
        for retried in [408, 429, 500, 503] {
            guard case .retry(let at) = verdict(.success(DeliveryResponse(statusCode: retried))).next else {
                Issue.record("HTTP \(retried) was not retried")
                continue
            }
            // Equal jitter: between half the first delay and the whole of it.
            let wait = at.millisecondsSince1970 - finished.millisecondsSince1970
            #expect((1000...2000).contains(wait), "HTTP \(retried): retried after \(wait) ms")
        }
    }

    @Test func retryAfterIsHonouredAndTheLastAttemptIsDeadLettered() {
        let throttled = verdict(.success(DeliveryResponse(statusCode: 429, retryAfter: "30")))
        #expect(throttled.next == .retry(at: finished.adding(milliseconds: 30_000)))
        let dated = verdict(.success(DeliveryResponse(statusCode: 503, retryAfter: "Sun, 15 Feb 2026 10:01:00 GMT")))
        #expect(dated.next == .retry(at: finished.adding(milliseconds: 60_000)))
        #expect(verdict(.success(DeliveryResponse(statusCode: 503)), attempt: 3).next == .deadLettered)
    }

    @Test func transportErrorsAreRetriedUnlessTheRequestCannotBeMade() {
        #expect(verdict(.failure(DeliveryTransportError(.timedOut, "timed out"))).next != .failed)
        #expect(verdict(.failure(DeliveryTransportError(.connectionFailed, "refused"))).next != .failed)
        #expect(verdict(.failure(DeliveryTransportError(.invalidURL, "no host"))).next == .failed)
        let invalid = verdict(.failure(DeliveryTransportError(.invalidRequest, "nothing to post")))
        #expect(invalid.statusCode == nil && invalid.failure == "nothing to post" && invalid.next == .failed)
    }
}
