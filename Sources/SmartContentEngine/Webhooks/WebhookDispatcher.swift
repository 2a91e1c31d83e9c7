import EventLog
import Foundation
import Synchronization
import SmartContentDomain
import SmartContentProjections

/// Delivers integrators' webhooks (issue 14, items 4 and 5) until cancelled: what
/// `smartcontent serve` runs beside the ``Distributor``, by the same machinery (signed
/// POSTs, the ``DeliveryPolicy``'s retries, backoff and dead letter).
///
/// The work list is the webhook projection's `due` table: the fold makes a message of
/// every event a subscription asked for, so progress survives a restart with the
/// projection's checkpoint, and a message whose attempt was in flight at a crash is due
/// again and sent with the same `webhook-id` (at least once). Each attempt is recorded
/// as one ``WebhookAttempted`` whose id is derived from the message and the attempt
/// number, so two dispatchers on one store record an attempt once. Work is read per
/// subscription, at most `concurrencyPerChannel` messages in flight for each, so a dead
/// or slow receiver holds up only its own messages.
public final class WebhookDispatcher: Sendable {
    let engine: SmartContentEngine
    public var policy: DeliveryPolicy { loop.policy }
    let transport: any DeliveryTransport
    private let warn: @Sendable (String) -> Void

    fileprivate struct Key: Hashable {
        var subscription: WebhookSubscriptionID
        var position: UInt64
        var type: String
    }
    private let loop: DeliveryLoop<Key, WebhookSubscriptionID>
    /// Signatures by subscription: opening a secret reads the key store.
    private let signatures = Mutex<[WebhookSubscriptionID: WebhookSignature]>([:])

    public init(engine: SmartContentEngine, policy: DeliveryPolicy = DeliveryPolicy(),
                transport: (any DeliveryTransport)? = nil, warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.engine = engine
        self.warn = warn
        self.transport = transport ?? (try? CurlDeliveryTransport(connectionsPerHost: policy.concurrencyPerChannel))
            ?? URLSessionDeliveryTransport(maxConnectionsPerHost: policy.concurrencyPerChannel)
        loop = DeliveryLoop(policy: policy, doorbell: engine.webhookDoorbell.doorbell)
    }

    /// Delivers until the task is cancelled; attempts in flight then finish (each within
    /// the timeout) before it returns.
    public func run() async {
        await loop.run(now: { engine.now }, warn: { warn("webhook dispatcher: \($0)") }, dueWork: dueWork,
                       attempt: { await self.attempt($0) })
    }

    struct Work: Sendable {
        var subscription: WebhookSubscriptionRecord
        var delivery: WebhookDelivery
        var source: SmartContentEngine.WebhookSource?
        var recipientName: String?

        fileprivate var key: Key { Key(subscription: subscription.subscriptionId, position: delivery.position, type: delivery.type) }
    }

    /// Due messages this dispatcher may start now (claimed in `loop`), and when the first
    /// one not yet due is due.
    private func dueWork() async throws -> ([Work], Instant?) {
        let now = engine.now
        let (claimed, busy) = loop.inFlight
        let free = policy.maxInFlight - claimed.count
        guard free > 0 else { return ([], nil) }
        let head = loop.readPosition(head: engine.log.head.head)
        let limit = policy.concurrencyPerChannel
        let (found, next) = try await engine.read(WebhookProjection.self, atLeast: head) { queries in
            var found: [Work] = []
            var next: Instant?
            for subscription in try queries.subscriptionsWithWork() {
                var taken = busy[subscription.subscriptionId, default: 0]
                let first = try queries.walkDue(of: subscription.subscriptionId, at: now) { due in
                    guard taken < limit, found.count < free else { return false }
                    let key = Key(subscription: due.subscriptionId, position: due.position, type: due.type)
                    guard !claimed.contains(key),
                          let delivery = try queries.delivery(due.subscriptionId, position: due.position, type: due.type),
                          delivery.status.isPending
                    else { return true }
                    taken += 1
                    found.append(Work(subscription: subscription, delivery: delivery))
                    return true
                }
                if let first { next = min(next ?? first, first) }
            }
            return (found, next)
        }
        guard !found.isEmpty else { return ([], next) }
        let sources = try await engine.webhookSources(at: Set(found.map(\.delivery.position)))
        let recipients = Set(found.compactMap(\.delivery.recipient))
        let names: [UserID: String] = recipients.isEmpty ? [:] : try await engine.read(UserProjection.self, atLeast: head) { queries in
            var names: [UserID: String] = [:]
            for id in recipients { names[id] = try queries.user(id)?.name }
            return names
        }
        // Claim: another look for work before these finish must not take them again.
        let work = found.compactMap { item -> Work? in
            guard loop.claim(item.key, for: item.subscription.subscriptionId) else { return nil }
            var item = item
            item.source = sources[item.delivery.position]
            item.recipientName = item.delivery.recipient.flatMap { names[$0] }
            return item
        }
        return (work, next)
    }

    private func attempt(_ work: Work) async {
        var position: UInt64?
        defer { loop.release(work.key, for: work.subscription.subscriptionId, appendedAt: position) }
        do {
            position = try await deliver(work)
        } catch {
            warn("could not record the attempt of webhook \(work.subscription.subscriptionId) at \(work.delivery.position): \(error)")
        }
    }

    private func deliver(_ work: Work) async throws -> UInt64? {
        let delivery = work.delivery
        let number = delivery.attempts + 1
        guard let source = work.source else {
            // The log holds no catalog event there (a type this build does not know): nothing to send.
            return try await record(work, webhookId: delivery.webhookId ?? "", number: number, statusCode: nil, durationMs: 0,
                                    error: "no event at position \(delivery.position)", outcome: .failed)
        }
        let message = WebhookMessage(type: delivery.type, position: delivery.position, source: source,
                                     workspaceId: work.subscription.workspaceId,
                                     recipient: delivery.recipient.map { .init(userId: $0, name: work.recipientName) })
        let webhookId = WebhookMessage.webhookId(subscription: work.subscription.subscriptionId, event: source.id, type: delivery.type)
        guard let signature = try signature(of: work.subscription) else {
            // Its key is destroyed, so it was unsubscribed since this message was read: never send unsigned.
            return try await record(work, webhookId: webhookId, number: number, statusCode: nil, durationMs: 0,
                                    error: "the webhook's secret is destroyed", outcome: .failed)
        }
        let post = SignedPost(url: work.subscription.url, webhookId: webhookId, body: try message.encoded())
        let outcome = await post.send(signature: signature, attemptInRound: delivery.attemptsInRound + 1,
                                      policy: policy, transport: transport, clock: { self.engine.now })
        let (result, next): (WebhookOutcome, Instant?) = switch outcome.next {
        case .delivered: (.delivered, nil)
        case .failed: (.failed, nil)
        case .deadLettered: (.deadLettered, nil)
        case .retry(let at): (.retrying, at)
        }
        return try await record(work, webhookId: webhookId, number: number, statusCode: outcome.statusCode,
                                durationMs: outcome.durationMs, error: outcome.error, outcome: result, nextAttemptAt: next)
    }

    /// Appends the attempt with an id derived from the message and its number: the same
    /// attempt recorded by two dispatchers is on the log once.
    private func record(_ work: Work, webhookId: String, number: Int, statusCode: Int?, durationMs: Int, error: String?,
                        outcome: WebhookOutcome, nextAttemptAt: Instant? = nil) async throws -> UInt64? {
        let subscription = work.subscription
        let event = WebhookAttempted(subscriptionId: subscription.subscriptionId, position: work.delivery.position,
                                     webhookType: work.delivery.type, attempt: number, webhookId: webhookId,
                                     statusCode: statusCode, durationMs: durationMs, error: error, outcome: outcome,
                                     nextAttemptAt: nextAttemptAt)
        let id = EventID(deriving: "\(subscription.subscriptionId)/\(work.delivery.position)/\(work.delivery.type)/\(number)")
        do {
            return try await engine.append([event.event], by: "system", workspace: subscription.workspaceId, ids: [id])
        } catch EventLogError.eventIDConflict {
            return nil
        }
    }

    private func signature(of subscription: WebhookSubscriptionRecord) throws -> WebhookSignature? {
        let id = subscription.subscriptionId
        if let known = signatures.withLock({ $0[id] }) { return known }
        guard let secret = try engine.vault.openCredential(subscription.secret, field: .secret, holder: id.rawValue) else {
            return nil
        }
        let signature = WebhookSignature(secrets: [secret])
        signatures.withLock { $0[id] = signature }
        return signature
    }
}
