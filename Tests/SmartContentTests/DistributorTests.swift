import Foundation
import SmartContent
import SmartContentDomain
import SmartContentProjections
import SmartContentTesting
import Synchronization
import Testing

/// Deliveries to receivers on loopback, over real HTTP: what is sent, how failures are
/// retried, when a delivery gives up, and how it is sent again.
@Suite(.timeLimit(.minutes(5))) struct DistributorTests {
    /// An engine on the system clock with a user, one content and a distributor running.
    final class Bench: Sendable {
        let test: TestEngine
        let actor: Actor
        let contentId: ContentID
        let distributor: Distributor
        let running: Task<Void, Never>

        init(policy: DeliveryPolicy) async throws {
            test = try TestEngine(systemClock: true)
            actor = try await test.user("ann@example.com")
            contentId = try await test.engine.createContent(.init(title: "Launch", body: "We launch today.", contentType: .article),
                                                            by: actor).value.contentId
            distributor = Distributor(engine: test.engine, policy: policy)
            running = Task { [distributor] in await distributor.run() }
        }

        func connect(_ receiver: WebhookReceiver, name: String = "Hook", secret: String? = nil) async throws
            -> SmartContentEngine.ConnectedChannel {
            try await test.engine.connectChannel(name: name, url: receiver.url(), secret: secret, by: actor).value
        }

        /// A job for content deleted since it was requested: what the distributor finds when
        /// content is deleted between a publication and its delivery.
        func publishDespiteDeletion(to channel: ChannelID) async throws -> JobID {
            let job = JobID.generate()
            try await test.given([DistributionRequested(jobId: job, contentId: contentId, workspaceId: actor.workspaceId,
                                                        channels: [channel], requestedBy: actor.userId.rawValue).event])
            return job
        }

        func publish(to channels: [ChannelID]) async throws -> JobID {
            try await test.engine.requestPublication(of: contentId, to: channels, by: actor).value.jobId
        }

        /// The job once `done` says so (or when 20 s have passed).
        func job(_ id: JobID, until done: (DistributionJob) -> Bool) async throws -> DistributionJob {
            let deadline = ContinuousClock.now + .seconds(20)
            while true {
                let job = try await test.engine.read(DistributionProjection.self, atLeast: test.engine.log.head.head) { try $0.job(id) }
                if let job, done(job) || ContinuousClock.now > deadline { return job }
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        func events(_ type: String) async throws -> [DomainEvent] {
            try await test.engine.events(after: 0).filter { $0.event.type == type }.map(\.event)
        }

        func close() async {
            running.cancel()
            await running.value
            await test.close()
        }
    }

    static func policy(backoffMs: Int64 = 50, maxAttempts: Int = 5, timeoutMs: Int64 = 2000) -> DeliveryPolicy {
        var policy = DeliveryPolicy()
        policy.firstRetryDelay = .milliseconds(backoffMs)
        policy.maxAttempts = maxAttempts
        policy.timeout = .milliseconds(timeoutMs)
        policy.pollInterval = .milliseconds(50)
        return policy
    }

    static func seconds(_ a: Date, _ b: Date) -> Double { b.timeIntervalSince(a) }

    /// The distributor reads its work from a projection, which folds a publication a
    /// little after it is appended: the fold must wake it, or a publication on an idle
    /// server waits for the next poll.
    @Test func aPublicationOnAnIdleServerIsDeliveredWithoutWaitingForThePoll() async throws {
        var policy = Self.policy()
        policy.pollInterval = .seconds(600)
        let bench = try await Bench(policy: policy)
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let channel = try await bench.connect(receiver)
        for round in 1...5 {
            try await Task.sleep(for: .milliseconds(100))  // idle: the distributor waits on its doorbell
            let job = try await bench.publish(to: [channel.channelId])
            let done = try await bench.job(job) { $0.status == .delivered }
            #expect(done.status == .delivered, "publication \(round) still \(done.status) after 20 s")
        }
        await bench.close()
    }

    @Test func aDeliveryCarriesTheContentAndAStableSignedIdentity() async throws {
        let bench = try await Bench(policy: Self.policy())
        let receiver = try WebhookReceiver { _, _ in .status(200, body: #"{"id":"post-77"}"#) }
        let channel = try await bench.connect(receiver)
        #expect(channel.secret?.hasPrefix("whsec_") == true, "a secret is generated when none is given")
        let job = try await bench.publish(to: [channel.channelId])
        let done = try await bench.job(job) { $0.status == .delivered }
        #expect(done.status == .delivered)
        #expect(done.deliveries.first?.externalId == "post-77")

        let request = try #require(receiver.requests.first)
        #expect(receiver.requests.count == 1)
        let id = try #require(request.headers["webhook-id"])
        #expect(id == WebhookID.of(job: job, channel: channel.channelId))
        #expect(request.headers["idempotency-key"] == id)
        let timestamp = try #require(request.headers["webhook-timestamp"].flatMap { Int64($0) })
        #expect(abs(timestamp - Int64(Date().timeIntervalSince1970)) < 30)
        let signature = try #require(request.headers["webhook-signature"])
        #expect(signature == WebhookSignature(secrets: [try #require(channel.secret)]).header(id: id, timestamp: timestamp, body: request.body))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        let data = try #require(document["data"] as? [String: Any])
        #expect(document["type"] as? String == "content.delivery")
        #expect(data["jobId"] as? String == job.rawValue && data["webhookId"] as? String == id)
        // The hand-written document says what the API's encoder would say of the content.
        let view = try #require(try await bench.test.engine.read(ContentProjection.self) {
            try $0.content(bench.contentId, in: bench.actor.workspaceId)
        })
        // (Taken after the delivery, which published it: status and updatedAt moved on.)
        var viaEncoder = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(view)) as? [String: Any])
        var sent = try #require(data["content"] as? [String: Any])
        #expect(sent["status"] as? String == "draft" && viaEncoder["status"] as? String == "published")
        for moved in ["status", "updatedAt"] {
            viaEncoder[moved] = nil
            sent[moved] = nil
        }
        #expect(NSDictionary(dictionary: viaEncoder).isEqual(to: sent), "\(viaEncoder) \(sent)")

        let attempted = try await bench.events(DistributionAttempted.eventType)
        guard case .distributionAttempted(let attempt)? = attempted.first else { Issue.record("no attempt event"); return }
        #expect(attempt.statusCode == 200 && attempt.attempt == 1 && attempt.error == nil && attempt.webhookId == id)
        #expect(try await bench.events(ContentPublished.eventType).count == 1)
        let content = try await bench.test.engine.read(ContentProjection.self, atLeast: bench.test.engine.log.head.head) {
            try $0.content(bench.contentId, in: bench.actor.workspaceId)
        }
        #expect(content?.status == .published)
        receiver.stop()
        await bench.close()
    }

    @Test func serverErrorsAreRetriedWithGrowingDelaysUnderOneWebhookID() async throws {
        let bench = try await Bench(policy: Self.policy(backoffMs: 100))
        let receiver = try WebhookReceiver { _, earlier in earlier < 2 ? .status(503) : .status(204) }
        let channel = try await bench.connect(receiver)
        let job = try await bench.publish(to: [channel.channelId])
        let done = try await bench.job(job) { $0.status == .delivered }
        #expect(done.status == .delivered && done.attempts == 3)
        let requests = receiver.requests
        #expect(requests.count == 3)
        #expect(Set(requests.compactMap { $0.headers["webhook-id"] }).count == 1, "every attempt of a delivery has one id")
        // Equal jitter: the wait after attempt n is at least half of 100 ms × 2^(n-1).
        #expect(Self.seconds(requests[0].receivedAt, requests[1].receivedAt) >= 0.045)
        #expect(Self.seconds(requests[1].receivedAt, requests[2].receivedAt) >= 0.095)
        let failed = try await bench.events(DistributionAttemptFailed.eventType)
        #expect(failed.count == 2)
        let attempts = try await bench.events(DistributionAttempted.eventType).compactMap { event -> Int? in
            if case .distributionAttempted(let e) = event { e.statusCode } else { nil }
        }
        #expect(attempts == [503, 503, 204])
        receiver.stop()
        await bench.close()
    }

    @Test func retryAfterIsWaitedFor() async throws {
        let bench = try await Bench(policy: Self.policy(backoffMs: 10))
        let receiver = try WebhookReceiver { _, earlier in earlier == 0 ? .status(429, headers: [("Retry-After", "1")]) : .status(200) }
        let channel = try await bench.connect(receiver)
        let job = try await bench.publish(to: [channel.channelId])
        #expect(try await bench.job(job) { $0.status == .delivered }.status == .delivered)
        let requests = receiver.requests
        #expect(requests.count == 2)
        #expect(Self.seconds(requests[0].receivedAt, requests[1].receivedAt) >= 0.95, "Retry-After: 1 beats a 10 ms backoff")
        receiver.stop()
        await bench.close()
    }

    @Test func aClientErrorIsNotRetried() async throws {
        let bench = try await Bench(policy: Self.policy())
        let receiver = try WebhookReceiver { _, _ in .status(410) }
        let channel = try await bench.connect(receiver)
        let job = try await bench.publish(to: [channel.channelId])
        let done = try await bench.job(job) { !$0.status.isPending }
        #expect(done.status == .failed)
        #expect(done.deliveries.first?.lastError == "HTTP 410" && done.deliveries.first?.lastStatusCode == 410)
        try await Task.sleep(for: .milliseconds(300))
        #expect(receiver.requests.count == 1)
        receiver.stop()
        await bench.close()
    }

    @Test func aHangingReceiverTimesOutAndADroppedConnectionIsRetried() async throws {
        let bench = try await Bench(policy: Self.policy(backoffMs: 20, timeoutMs: 300))
        let receiver = try WebhookReceiver { _, earlier in
            switch earlier {
            case 0: .hang(.seconds(20))
            case 1: .close
            default: .status(200)
            }
        }
        let channel = try await bench.connect(receiver)
        let job = try await bench.publish(to: [channel.channelId])
        let done = try await bench.job(job) { $0.status == .delivered }
        #expect(done.status == .delivered && done.attempts == 3)
        let errors = try await bench.events(DistributionAttempted.eventType).compactMap { event -> String? in
            if case .distributionAttempted(let e) = event { e.error } else { nil }
        }
        #expect(errors.count == 2, "\(errors) \(receiver.requests.count)")
        #expect(errors.first == "timed out", "\(errors)")
        let requests = receiver.requests
        let gap = Self.seconds(requests[0].receivedAt, requests[1].receivedAt)
        #expect(gap >= 0.29 && gap < 15, "the hang was cut at the 300 ms timeout, not before, nor by the receiver: \(gap)")
        receiver.stop()
        await bench.close()
    }

    @Test func aDeliveryThatAlwaysFailsIsDeadLetteredAndARetryResendsItUnderItsID() async throws {
        let bench = try await Bench(policy: Self.policy(backoffMs: 10, maxAttempts: 3))
        let healthy = Atomic<Bool>(false)
        let receiver = try WebhookReceiver { _, _ in healthy.load(ordering: .relaxed) ? .status(200) : .status(500) }
        let channel = try await bench.connect(receiver)
        let job = try await bench.publish(to: [channel.channelId])
        let dead = try await bench.job(job) { !$0.status.isPending }
        #expect(dead.status == .deadLettered && dead.attempts == 3)
        #expect(try await bench.events(DistributionDeadLettered.eventType).count == 1)
        #expect(receiver.requests.count == 3)

        healthy.store(true, ordering: .relaxed)
        _ = try await bench.test.engine.retryDeliveries(of: job, by: bench.actor)
        let delivered = try await bench.job(job) { $0.status == .delivered }
        #expect(delivered.status == .delivered && delivered.attempts == 4)
        #expect(Set(receiver.requests.compactMap { $0.headers["webhook-id"] }).count == 1)
        await #expect(throws: DomainError.self, "nothing left to retry") {
            try await bench.test.engine.retryDeliveries(of: job, by: bench.actor)
        }
        receiver.stop()
        await bench.close()
    }

    @Test func aDeliveryOfDeletedContentFailsAgainWhenRetriedInsteadOfSpinning() async throws {
        let bench = try await Bench(policy: Self.policy())
        let receiver = try WebhookReceiver()
        let channel = try await bench.connect(receiver)
        _ = try await bench.test.engine.deleteContent(bench.contentId, by: bench.actor)
        let job = try await bench.publishDespiteDeletion(to: channel.channelId)
        #expect(try await bench.job(job) { !$0.status.isPending }.status == .failed)
        _ = try await bench.test.engine.retryDeliveries(of: job, by: bench.actor)
        let again = try await bench.job(job) { !$0.status.isPending }
        #expect(again.status == .failed && again.deliveries.first?.lastError == "content \(bench.contentId) is deleted")
        #expect(try await bench.events(DistributionAttemptFailed.eventType).count == 2, "one failure per round")
        #expect(receiver.requests.isEmpty)
        receiver.stop()
        await bench.close()
    }

    @Test func aSlowChannelDoesNotHoldUpTheOthers() async throws {
        var policy = Self.policy(timeoutMs: 30_000)
        policy.concurrencyPerChannel = 2
        let bench = try await Bench(policy: policy)
        let slow = try WebhookReceiver { _, _ in .hang(.seconds(30)) }
        let fast = try WebhookReceiver()
        let slowChannel = try await bench.connect(slow, name: "Slow")
        let fastChannel = try await bench.connect(fast, name: "Fast")
        var jobs: [JobID] = []
        for _ in 0..<10 { jobs.append(try await bench.publish(to: [slowChannel.channelId, fastChannel.channelId])) }
        for job in jobs {
            let done = try await bench.job(job) { $0.delivery(to: fastChannel.channelId)?.status == .delivered }
            #expect(done.delivery(to: fastChannel.channelId)?.status == .delivered)
        }
        #expect(fast.requests.count == 10)
        #expect(slow.requests.count == 2, "at most two attempts at once to one channel: \(slow.requests.map { $0.headers["webhook-id"] ?? "" })")
        let slowAttempts = try await bench.events(DistributionAttempted.eventType).filter {
            if case .distributionAttempted(let e) = $0 { e.channelId == slowChannel.channelId } else { false }
        }
        #expect(slowAttempts.isEmpty, "the fast channel's ten went while the slow one's first two still hung")
        slow.stop()
        fast.stop()
        await bench.close()
    }

    @Test func aChannelThatKeepsFailingIsPausedUntilResumed() async throws {
        var policy = Self.policy(backoffMs: 20, maxAttempts: 50)
        policy.pauseAfter = .milliseconds(300)
        let bench = try await Bench(policy: policy)
        let healthy = Atomic<Bool>(false)
        let receiver = try WebhookReceiver { _, _ in healthy.load(ordering: .relaxed) ? .status(200) : .status(503) }
        let channel = try await bench.connect(receiver)
        let job = try await bench.publish(to: [channel.channelId])
        let deadline = ContinuousClock.now + .seconds(10)
        var record: ChannelRecord?
        while record?.status != .paused, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            record = try await bench.test.engine.read(DistributionProjection.self) { try $0.channel(channel.channelId) }
        }
        #expect(record?.status == .paused)
        #expect(try await bench.events(ChannelPaused.eventType).count == 1)
        try await Task.sleep(for: .milliseconds(300))
        let whilePaused = receiver.requests.count
        try await Task.sleep(for: .milliseconds(300))
        #expect(receiver.requests.count == whilePaused, "a paused channel gets nothing")

        healthy.store(true, ordering: .relaxed)
        _ = try await bench.test.engine.resumeChannel(channel.channelId, by: bench.actor)
        #expect(try await bench.job(job) { $0.status == .delivered }.status == .delivered)
        receiver.stop()
        await bench.close()
    }

    @Test func aRotatedSecretSignsBesideTheOldOneForTheOverlap() async throws {
        let bench = try await Bench(policy: Self.policy())
        let receiver = try WebhookReceiver()
        let channel = try await bench.connect(receiver)
        let rotated = try await bench.test.engine.rotateChannelSecret(channel.channelId, by: bench.actor).value
        #expect(rotated.secret != channel.secret && WebhookSecret.isValid(rotated.secret))
        let job = try await bench.publish(to: [channel.channelId])
        _ = try await bench.job(job) { $0.status == .delivered }
        let request = try #require(receiver.requests.first)
        let id = request.headers["webhook-id"] ?? "", timestamp = Int64(request.headers["webhook-timestamp"] ?? "") ?? 0
        let signatures = (request.headers["webhook-signature"] ?? "").split(separator: " ").map(String.init)
        #expect(signatures.count == 2)
        for secret in [rotated.secret, try #require(channel.secret)] {
            let expected = WebhookSignature(secrets: [secret]).header(id: id, timestamp: timestamp, body: request.body)
            #expect(signatures.contains(expected ?? "-"))
        }
        await #expect(throws: DomainError.self) {
            try await bench.test.engine.connectChannel(name: "Bad", url: receiver.url(), secret: "s3cret", by: bench.actor)
        }
        receiver.stop()
        await bench.close()
    }
}
