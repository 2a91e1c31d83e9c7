import EventLog
import Foundation
import Synchronization
import SmartContentDomain
import SmartContentProjections

/// Delivers pending distribution jobs to their channels (DESIGN section 8) until
/// cancelled: ``run()`` is what `smartcontent serve` runs beside the HTTP endpoint.
///
/// The work list is the distribution projection's `due` table, so nothing lives only in
/// memory: a crash or a restart leaves every delivery that had no recorded outcome due,
/// and it is sent again with the same `webhook-id` (at least once on the wire, once for a
/// receiver that deduplicates). An attempt in flight ends at the policy's timeout, so no
/// delivery stays "delivering" for ever. Each attempt's outcome is appended with ids
/// derived from the delivery and the attempt number, so two distributors on one store
/// record an attempt once.
public final class Distributor: Sendable {
    let engine: SmartContentEngine
    public var policy: DeliveryPolicy { loop.policy }
    let transport: any DeliveryTransport
    private let warn: @Sendable (String) -> Void

    fileprivate struct Key: Hashable {
        var job: JobID
        var channel: ChannelID
    }
    private let loop: DeliveryLoop<Key, ChannelID>
    /// Opened credentials by channel and sealed value: opening one reads the key store.
    private let credentialCache = Mutex<[String: [String]]>([:])

    /// - Parameter warn: where to say what went wrong beside the log (a paused channel,
    ///   an outcome that could not be recorded).
    public init(engine: SmartContentEngine, policy: DeliveryPolicy = DeliveryPolicy(),
                transport: (any DeliveryTransport)? = nil, warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.engine = engine
        self.warn = warn
        self.transport = transport ?? (try? CurlDeliveryTransport(connectionsPerHost: policy.concurrencyPerChannel))
            ?? URLSessionDeliveryTransport(maxConnectionsPerHost: policy.concurrencyPerChannel)
        loop = DeliveryLoop(policy: policy, doorbell: engine.distributionDoorbell.doorbell)
    }

    /// Delivers until the task is cancelled; attempts in flight then finish (each within
    /// the timeout) before it returns.
    public func run() async {
        await loop.run(now: { engine.now }, warn: { warn("distributor: \($0)") }, dueWork: dueWork,
                       attempt: { await self.attempt($0) })
    }

    struct Work: Sendable {
        var job: DistributionJob
        var delivery: Delivery
        var channel: ChannelRecord?
        var content: ContentView?

        fileprivate var key: Key { Key(job: job.jobId, channel: delivery.channelId) }
    }

    /// Due deliveries this distributor may start now (claimed in `loop`), and when the
    /// first one not yet due is due.
    private func dueWork() async throws -> ([Work], Instant?) {
        let now = engine.now
        let (claimed, perChannel) = loop.inFlight
        let recorded = loop.recorded
        let free = policy.maxInFlight - claimed.count
        let limit = policy.concurrencyPerChannel
        let window = max(4 * policy.maxInFlight, 2000)
        // No wait for the projection to fold the log's head: what it has not folded yet of
        // this distributor's own outcomes is in `recorded`, and new jobs show up as soon as
        // they are folded.
        let (found, next, checkpoint) = try await engine.read(DistributionProjection.self) { queries in
            let checkpoint = try queries.checkpoint()
            var found: [Work] = []
            var taken = perChannel
            let next = try queries.walkDue(at: now, window: window) { due in
                guard found.count < free else { return false }
                let key = Key(job: due.jobId, channel: due.channelId)
                guard !claimed.contains(key), recorded[key].map({ $0 <= checkpoint }) ?? true,
                      taken[due.channelId, default: 0] < limit,
                      let job = try queries.job(due.jobId), let delivery = job.delivery(to: due.channelId), delivery.status.isPending
                else { return true }
                let channel = try queries.channel(due.channelId)
                // A paused channel's deliveries wait for it to be resumed.
                if channel?.status == .paused { return true }
                taken[due.channelId, default: 0] += 1
                found.append(Work(job: job, delivery: delivery, channel: channel, content: nil))
                return true
            }
            return (found, next, checkpoint)
        }
        loop.forget(through: checkpoint)
        guard !found.isEmpty else { return ([], next) }
        let contents = Set(found.map(\.job.contentId))
        // The content as of at least when the jobs were seen.
        let views = try await engine.read(ContentProjection.self, atLeast: checkpoint) { queries in
            var views: [ContentID: ContentView] = [:]
            for id in contents { if let state = try queries.state(id) { views[id] = ContentView(state) } }
            return views
        }
        // Claim: another look for work before these finish must not take them again.
        let work = found.compactMap { item -> Work? in
            guard loop.claim(item.key, for: item.delivery.channelId) else { return nil }
            var item = item
            item.content = views[item.job.contentId]
            return item
        }
        return (work, next)
    }

    /// One attempt of one delivery, and its outcome on the log.
    private func attempt(_ work: Work) async {
        var position: UInt64?
        // Without a position (another distributor recorded it, or the append failed) the
        // log's head bounds where the outcome, if any, is.
        defer { loop.release(work.key, for: work.delivery.channelId, appendedAt: position, untilFolded: engine.log.head.head) }
        do {
            position = try await deliver(work)
        } catch {
            warn("could not record the attempt of \(work.delivery.webhookId): \(error)")
        }
    }

    private func deliver(_ work: Work) async throws -> UInt64? {
        let job = work.job
        let delivery = work.delivery
        let now = engine.now
        // Nothing to send to, or nothing to send: the delivery fails for good, no attempt made.
        // Its ids are of this round (a requested retry sets a new due time), else a retry's
        // failure would be the earlier one, already on the log, and the delivery would stay due.
        let gone = "gone/\(delivery.nextAttemptAt?.millisecondsSince1970 ?? 0)"
        guard let channel = work.channel, channel.status != .disconnected else {
            return try await record([.distributionAttemptFailed(.init(
                jobId: job.jobId, channelId: delivery.channelId, attempt: delivery.attempts,
                error: "channel \(delivery.channelId) is disconnected", nextAttemptAt: nil))], work, suffix: gone)
        }
        guard let content = work.content, content.status != .deleted else {
            return try await record([.distributionAttemptFailed(.init(
                jobId: job.jobId, channelId: delivery.channelId, attempt: delivery.attempts,
                error: "content \(job.contentId) is deleted", nextAttemptAt: nil))], work, suffix: gone)
        }
        let number = delivery.attempts + 1
        let driver = ChannelDrivers.driver(for: channel.kind)
        let clock = ContinuousClock()
        let started = clock.now
        let result: Result<DeliveryResponse, DeliveryTransportError>
        do {
            let request = try driver.request(for: ChannelDelivery(
                job: job, delivery: delivery, channel: channel, content: content,
                credentials: try credentials(of: channel, at: now), now: now, timeout: policy.timeout))
            result = .success(try await transport.send(request))
        } catch let error as DeliveryTransportError {
            result = .failure(error)
        } catch let error as PostTooLong {
            // Edited since it was scheduled: recorded as a failed attempt that sent nothing.
            result = .failure(DeliveryTransportError(.invalidRequest, "content \(job.contentId) cannot be posted to channel "
                                                         + "\(channel.channelId): \(error.reason)"))
        }
        let durationMs = Int((clock.now - started).milliseconds)
        let finished = engine.now

        let verdict = AttemptVerdict(result, attemptInRound: delivery.attemptsInRound + 1, finishedAt: finished,
                                     policy: policy, describing: driver.failure(in:))
        var events: [DomainEvent] = [.distributionAttempted(.init(
            jobId: job.jobId, channelId: delivery.channelId, attempt: number, webhookId: delivery.webhookId,
            statusCode: verdict.statusCode, durationMs: durationMs, error: verdict.failure))]
        let failure = verdict.failure ?? ""
        switch verdict.next {
        case .delivered:
            let externalId: String? = if case .success(let response) = result { driver.externalId(in: response) } else { nil }
            events.append(.contentPublished(.init(contentId: job.contentId, scheduleId: job.scheduleId, channelId: delivery.channelId,
                                                  jobId: job.jobId, publishedAt: finished, externalId: externalId)))
        case .failed:
            events.append(.distributionAttemptFailed(.init(jobId: job.jobId, channelId: delivery.channelId, attempt: number,
                                                           error: failure, nextAttemptAt: nil)))
        case .deadLettered:
            events.append(.distributionDeadLettered(.init(jobId: job.jobId, channelId: delivery.channelId, attempts: number,
                                                          lastError: failure)))
        case .retry(let at):
            events.append(.distributionAttemptFailed(.init(jobId: job.jobId, channelId: delivery.channelId, attempt: number,
                                                           error: failure, nextAttemptAt: at)))
        }
        let position = try await record(events, work, suffix: "\(number)")
        if verdict.next != .delivered, let since = channel.failingSince, channel.status == .connected,
           finished.millisecondsSince1970 - since.millisecondsSince1970 >= policy.pauseAfter.milliseconds {
            return try await pause(channel, since: since) ?? position
        }
        return position
    }

    /// Appends an attempt's events with ids derived from the delivery and `suffix`: the
    /// same attempt recorded by two distributors is on the log once.
    private func record(_ events: [DomainEvent], _ work: Work, suffix: String) async throws -> UInt64? {
        let ids = events.map { EventID(deriving: "\(work.delivery.webhookId)/\(suffix)/\($0.type)") }
        do {
            return try await engine.append(events, by: "system", workspace: work.job.workspaceId, ids: ids)
        } catch EventLogError.eventIDConflict {
            return nil
        }
    }

    private func pause(_ channel: ChannelRecord, since: Instant) async throws -> UInt64? {
        let event = ChannelPaused(channelId: channel.channelId, workspaceId: channel.workspaceId, failingSince: since,
                                  reason: "every delivery failed since \(since)")
        do {
            let position = try await engine.append([event.event], by: "system", workspace: channel.workspaceId,
                                                   ids: [EventID(deriving: "pause/\(channel.channelId)/\(since)")])
            warn("channel \(channel.channelId) paused: \(event.reason)")
            return position
        } catch EventLogError.eventIDConflict {
            return nil
        }
    }

    /// The channel's credentials opened, current first, then a rotated secret that still
    /// signs; cached by sealed value, as opening one reads the key store.
    private func credentials(of channel: ChannelRecord, at now: Instant) throws -> [String] {
        guard let sealed = channel.secret else { return [] }
        var sealedSecrets = [sealed]
        if let previous = channel.previousSecret, let until = channel.previousSecretExpiresAt, now < until {
            sealedSecrets.append(previous)
        }
        let cacheKey = "\(channel.channelId)/" + sealedSecrets.joined(separator: "/")
        if let known = credentialCache.withLock({ $0[cacheKey] }) { return known }
        let opened = try sealedSecrets.compactMap {
            try engine.vault.openCredential($0, field: .secret, holder: channel.channelId.rawValue)
        }
        credentialCache.withLock { $0[cacheKey] = opened }
        return opened
    }
}
