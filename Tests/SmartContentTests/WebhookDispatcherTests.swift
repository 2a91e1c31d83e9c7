import Crypto
import EventLog
import Foundation
import SmartContent
import SmartContentDomain
import SmartContentProjections
import SmartContentTesting
import Testing
import TestSupport

/// Integrators' webhooks and notifications delivered to receivers on loopback over real
/// HTTP: what is sent to whom, how it is signed, retried, given up, resumed and replayed.
/// One at a time: each runs an engine, a dispatcher and receivers, and asserts on timing.
@Suite(.serialized, .timeLimit(.minutes(5))) struct WebhookDispatcherTests {
    /// An engine on the system clock with Ann (an admin) and a dispatcher running.
    final class Bench: Sendable {
        let test: TestEngine
        let ann: Actor
        let dispatcher: WebhookDispatcher
        let running: Task<Void, Never>

        init(policy: DeliveryPolicy = WebhookDispatcherTests.policy()) async throws {
            test = try TestEngine(systemClock: true)
            ann = try await test.user("ann@example.com", name: "Ann")
            dispatcher = WebhookDispatcher(engine: test.engine, policy: policy)
            running = Task { [dispatcher] in await dispatcher.run() }
        }

        var engine: SmartContentEngine { test.engine }

        func subscribe(_ receiver: WebhookReceiver, to types: [String]) async throws -> SmartContentEngine.CreatedWebhook {
            try await engine.subscribeWebhook(url: receiver.url(), eventTypes: types, by: ann).value
        }

        @discardableResult
        func createContent(_ title: String, by actor: Actor? = nil) async throws -> Written<ContentCreated> {
            try await engine.createContent(.init(title: title, body: "About \(title).", contentType: .article), by: actor ?? ann)
        }

        func deliveries(of id: WebhookSubscriptionID) async throws -> [WebhookDelivery] {
            try await engine.read(WebhookProjection.self, atLeast: engine.log.head.head) { try $0.deliveries(of: id) }
        }

        func close() async {
            running.cancel()
            await running.value
            await test.close()
        }
    }

    static func policy(backoffMs: Int64 = 50, maxAttempts: Int = 5, timeoutMs: Int64 = 2000, perSubscription: Int = 8) -> DeliveryPolicy {
        var policy = DeliveryPolicy()
        policy.firstRetryDelay = .milliseconds(backoffMs)
        policy.maxAttempts = maxAttempts
        policy.timeout = .milliseconds(timeoutMs)
        policy.concurrencyPerChannel = perSubscription
        policy.pollInterval = .milliseconds(50)
        return policy
    }

    /// The receiver's requests once there are `count` (or when 20 s have passed).
    static func requests(_ receiver: WebhookReceiver, count: Int) async throws -> [WebhookReceiver.Request] {
        let deadline = ContinuousClock.now + .seconds(20)
        while receiver.requests.count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return receiver.requests
    }

    /// `body` once `done` says so (or when 20 s have passed).
    static func eventually<T>(_ body: () async throws -> T, until done: (T) -> Bool) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let value = try await body()
            if done(value) || ContinuousClock.now > deadline { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func json(_ request: WebhookReceiver.Request) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
    }

    static func type(_ request: WebhookReceiver.Request) -> String? { (try? json(request))?["type"] as? String }

    /// Standard Webhooks verification written from the specification, not with the
    /// engine's signer: HMAC-SHA256 of `id.timestamp.body` under the base64 key after `whsec_`.
    static func verify(_ request: WebhookReceiver.Request, secret: String) -> Bool {
        guard let id = request.headers["webhook-id"], let timestamp = request.headers["webhook-timestamp"],
              let header = request.headers["webhook-signature"],
              let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count)))
        else { return false }
        let signed = Data("\(id).\(timestamp).".utf8) + Data(request.body)
        let expected = Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))).base64EncodedString()
        return header.split(separator: " ").contains { $0 == "v1,\(expected)" }
    }

    @Test func aSubscriptionReceivesItsTypesOnlySignedAndNoOtherWorkspacesEvents() async throws {
        let bench = try await Bench()
        let receiver = try WebhookReceiver()
        let bob = try await bench.test.user("bob@example.com", name: "Bob")
        _ = try await bench.createContent("Before")
        let hook = try await bench.subscribe(receiver, to: ["content.created", "content.updated"])
        #expect(hook.secret.hasPrefix("whsec_"), "a secret is generated when none is given")
        let created = try await bench.createContent("Launch")
        try await bench.createContent("Elsewhere", by: bob)
        _ = try await bench.engine.updateContent(.init(contentId: created.value.contentId, title: "Launch day"), by: bench.ann)
        _ = try await bench.engine.deleteContent(created.value.contentId, by: bench.ann)

        _ = try await Self.requests(receiver, count: 2)
        try await Task.sleep(for: .milliseconds(400))
        let requests = receiver.requests
        #expect(requests.count == 2, "\(requests.map(\.text))")
        #expect(Set(requests.compactMap(Self.type)) == ["content.created", "content.updated"])
        for request in requests {
            #expect(Self.verify(request, secret: hook.secret), "verifiable with the secret shown at creation")
            let id = try #require(request.headers["webhook-id"])
            #expect(id.hasPrefix("msg_"))
            #expect(request.headers["idempotency-key"] == id)
            let body = try Self.json(request)
            #expect(body["workspaceId"] as? String == bench.ann.workspaceId.rawValue)
            #expect((body["data"] as? [String: Any])?["contentId"] as? String == created.value.contentId.rawValue)
            #expect(body["position"] as? Int != nil && body["eventId"] as? String != nil && body["timestamp"] as? String != nil)
            #expect(!request.text.contains("Elsewhere") && !request.text.contains("Before"))
        }
        let created1 = try #require(requests.first { Self.type($0) == "content.created" })
        #expect((try Self.json(created1)["position"] as? Int).map(UInt64.init) == created.position)

        let attempts = try await bench.engine.events(after: 0).compactMap { event -> WebhookAttempted? in
            if case .webhookAttempted(let attempt) = event.event { attempt } else { nil }
        }
        #expect(attempts.count == 2 && attempts.allSatisfy { $0.outcome == .delivered && $0.statusCode == 200 && $0.attempt == 1 })
        #expect(Set(attempts.map(\.webhookId)) == Set(requests.compactMap { $0.headers["webhook-id"] }))
        receiver.stop()
        await bench.close()
    }

    @Test func serverErrorsAreRetriedThenDeliveredUnderOneWebhookID() async throws {
        let bench = try await Bench(policy: Self.policy(backoffMs: 100))
        let receiver = try WebhookReceiver { _, earlier in earlier < 2 ? .status(503) : .status(204) }
        let hook = try await bench.subscribe(receiver, to: ["content.*"])
        try await bench.createContent("Launch")
        let deliveries = try await Self.eventually({ try await bench.deliveries(of: hook.subscriptionId) }) {
            $0.first?.status == .delivered
        }
        #expect(deliveries.count == 1)
        #expect(deliveries.first?.status == .delivered && deliveries.first?.attempts == 3)
        let requests = receiver.requests
        #expect(requests.count == 3)
        #expect(Set(requests.compactMap { $0.headers["webhook-id"] }).count == 1, "every attempt of a message has one id")
        #expect(Set(requests.map(\.body)).count == 1, "and the same body")
        // Equal jitter: the wait after attempt n is at least half of 100 ms × 2^(n-1).
        #expect(requests[1].receivedAt.timeIntervalSince(requests[0].receivedAt) >= 0.045)
        #expect(requests[2].receivedAt.timeIntervalSince(requests[1].receivedAt) >= 0.095)
        receiver.stop()
        await bench.close()
    }

    @Test func aDeadReceiverIsDeadLetteredWithoutHoldingUpAnother() async throws {
        let bench = try await Bench(policy: Self.policy(backoffMs: 50, maxAttempts: 2, timeoutMs: 500, perSubscription: 1))
        let dead = try WebhookReceiver { _, _ in .hang(.seconds(1)) }
        let alive = try WebhookReceiver()
        let deadHook = try await bench.subscribe(dead, to: ["*"])
        _ = try await bench.subscribe(alive, to: ["content.created"])
        for index in 0..<3 { try await bench.createContent("Post \(index)") }

        // Three messages to the dead receiver, one at a time, two attempts of 500 ms each:
        // three seconds and more before the last gives up.
        _ = try await Self.requests(alive, count: 3)
        #expect(alive.requests.count == 3)
        let meanwhile = try await bench.deliveries(of: deadHook.subscriptionId)
        #expect(meanwhile.contains { $0.status.isPending }, "the live receiver did not wait for the dead one")

        let deliveries = try await Self.eventually({ try await bench.deliveries(of: deadHook.subscriptionId) }) {
            $0.count == 3 && $0.allSatisfy { $0.status == .deadLettered }
        }
        #expect(deliveries.count == 3)
        #expect(deliveries.allSatisfy { $0.status == .deadLettered && $0.attempts == 2 && $0.lastError != nil })
        dead.stop()
        alive.stop()
        await bench.close()
    }

    @Test func aRefusedMessageIsNotRetried() async throws {
        let bench = try await Bench()
        let receiver = try WebhookReceiver { _, _ in .status(410) }
        let hook = try await bench.subscribe(receiver, to: ["content.created"])
        try await bench.createContent("Launch")
        let deliveries = try await Self.eventually({ try await bench.deliveries(of: hook.subscriptionId) }) {
            $0.first?.status == .failed
        }
        #expect(deliveries.first?.status == .failed && deliveries.first?.lastStatusCode == 410)
        try await Task.sleep(for: .milliseconds(200))
        #expect(receiver.requests.count == 1)
        receiver.stop()
        await bench.close()
    }

    @Test func aReplayFromAPositionResendsThoseMessagesWithTheirWebhookIDs() async throws {
        let bench = try await Bench()
        let receiver = try WebhookReceiver()
        let hook = try await bench.subscribe(receiver, to: ["content.created"])
        var positions: [UInt64] = []
        for index in 0..<3 { positions.append(try await bench.createContent("Post \(index)").position) }
        let first = try await Self.requests(receiver, count: 3)
        #expect(first.count == 3)
        let idsByPosition = Dictionary(uniqueKeysWithValues: try first.map { request in
            (try Self.json(request)["position"] as? Int ?? 0, request.headers["webhook-id"] ?? "")
        })

        // Recorded as delivered: a replay leaves messages still pending as they are.
        _ = try await Self.eventually({ try await bench.deliveries(of: hook.subscriptionId) }) {
            $0.count == 3 && $0.allSatisfy { $0.status == .delivered }
        }
        _ = try await bench.engine.replayWebhook(hook.subscriptionId, from: positions[1], by: bench.ann)
        let all = try await Self.requests(receiver, count: 5)
        try await Task.sleep(for: .milliseconds(300))
        #expect(receiver.requests.count == 5, "positions 2 and 3 again, not 1")
        let replayed = all.dropFirst(3)
        for request in replayed {
            let position = try Self.json(request)["position"] as? Int ?? 0
            #expect(position >= Int(positions[1]))
            #expect(request.headers["webhook-id"] == idsByPosition[position], "a replay keeps the webhook-id")
            #expect(Self.verify(request, secret: hook.secret))
        }
        let replayedBodies = Set(replayed.map(\.body))
        #expect(replayedBodies.isSubset(of: Set(first.map(\.body))), "and sends the same document")

        let oldest = positions[0]
        let denied = await bench.test.when { engine in
            _ = try await engine.replayWebhook(hook.subscriptionId, from: oldest, by: Actor(
                userId: bench.ann.userId, workspaceId: bench.ann.workspaceId, role: .editor))
        }
        #expect(denied.errorCode == .forbidden)

        // Messages, attempts and replays fold the same from position 0.
        bench.running.cancel()
        await bench.running.value
        try await bench.test.settle(bench.engine.log.head.head)
        let rebuilt = try await bench.engine.rebuild(into: bench.test.directory + "/rebuilt", projections: [WebhookProjection.name])
        #expect(try bench.engine.projections.store(named: WebhookProjection.name).canonicalDump()
            == rebuilt.store(named: WebhookProjection.name).canonicalDump())
        await rebuilt.close()
        receiver.stop()
        await bench.close()
    }

    @Test func unsubscribingStopsDeliveriesPendingOnesIncluded() async throws {
        // The retry of a failed message comes 1.5 to 3 s after it: unsubscribing is long done.
        let bench = try await Bench(policy: Self.policy(backoffMs: 3000))
        let receiver = try WebhookReceiver { _, earlier in earlier == 0 ? .status(200) : .status(503) }
        let hook = try await bench.subscribe(receiver, to: ["content.created"])
        try await bench.createContent("One")
        _ = try await Self.requests(receiver, count: 1)
        try await bench.createContent("Two")
        // "Two" fails and waits for its retry, then the subscription goes.
        _ = try await Self.requests(receiver, count: 2)
        try await bench.engine.unsubscribeWebhook(hook.subscriptionId, by: bench.ann)
        try await bench.createContent("Three")
        try await Task.sleep(for: .milliseconds(3500))
        #expect(receiver.requests.count == 2, "\(receiver.requests.map(\.text))")
        #expect(try await bench.engine.read(WebhookProjection.self) { try $0.subscriptions(in: bench.ann.workspaceId) }.isEmpty)
        #expect(try bench.engine.vault.status(of: hook.subscriptionId.rawValue) != .active, "its secret's key is destroyed")
        receiver.stop()
        await bench.close()
    }

    @Test func aRestartResumesWithWhatWasNotDelivered() async throws {
        let temporary = TemporaryDirectory("webhooks")
        defer { temporary.remove() }
        let directory = temporary.path
        var configuration = SmartContentEngine.Configuration()
        configuration.durability = .noSync
        configuration.passwordHasher = BcryptPasswordHasher(cost: 4)
        let receiver = try WebhookReceiver()

        var engine = try SmartContentEngine(directory: directory, configuration: configuration)
        let registered = try await engine.register(email: "ann@example.com", password: TestEngine.password, name: "Ann")
        var ann = try await engine.actor(registered.value.userId)
        let hook = try await engine.subscribeWebhook(url: receiver.url(), eventTypes: ["content.created"], by: ann).value
        var dispatcher = WebhookDispatcher(engine: engine, policy: Self.policy())
        var running = Task { [dispatcher] in await dispatcher.run() }
        _ = try await engine.createContent(.init(title: "Delivered", body: "B", contentType: .article), by: ann)
        _ = try await Self.eventually({
            try await engine.read(WebhookProjection.self, atLeast: engine.log.head.head) { try $0.deliveries(of: hook.subscriptionId) }
        }) { $0.first?.status == .delivered }
        running.cancel()
        await running.value
        // Appended while nothing delivers, then the process stops.
        _ = try await engine.createContent(.init(title: "Waiting", body: "B", contentType: .article), by: ann)
        await engine.close()

        engine = try SmartContentEngine(directory: directory, configuration: configuration)
        ann = try await engine.actor(registered.value.userId)
        dispatcher = WebhookDispatcher(engine: engine, policy: Self.policy())
        running = Task { [dispatcher] in await dispatcher.run() }
        _ = try await Self.requests(receiver, count: 2)
        try await Task.sleep(for: .milliseconds(300))
        let requests = receiver.requests
        #expect(requests.count == 2, "the delivered one is not sent again")
        #expect(requests.last?.text.contains("Waiting") == true)
        #expect(Self.verify(requests[1], secret: hook.secret), "the sealed secret opens after the restart")
        running.cancel()
        await running.value
        await engine.close()
        receiver.stop()
    }

    @Test func authorsAreNotifiedOfPublicationsDeadLettersMissedSchedulesAndPausedChannels() async throws {
        let bench = try await Bench()
        var distribution = Self.policy(backoffMs: 20, maxAttempts: 2)
        distribution.pollInterval = .milliseconds(50)
        let distributor = Distributor(engine: bench.engine, policy: distribution)
        let distributing = Task { await distributor.run() }
        let notifications = try WebhookReceiver()
        let hook = try await bench.subscribe(notifications, to: ["notification.*"])
        let good = try WebhookReceiver()
        let broken = try WebhookReceiver { _, _ in .status(500) }
        let goodChannel = try await bench.engine.connectChannel(name: "Blog", url: good.url(), by: bench.ann).value.channelId
        let brokenChannel = try await bench.engine.connectChannel(name: "Broken", url: broken.url(), by: bench.ann).value.channelId
        let content = try await bench.createContent("Launch").value.contentId

        _ = try await bench.engine.requestPublication(of: content, to: [goodChannel], by: bench.ann)
        _ = try await bench.engine.requestPublication(of: content, to: [brokenChannel], by: bench.ann)
        let now = bench.engine.now
        let schedule = try await bench.engine.schedule(.init(contentId: content, publishTime: now.adding(milliseconds: 3_600_000),
                                                             timezone: "UTC", channels: [goodChannel]), by: bench.ann)
        let missed = try await bench.engine.fireDueSchedules(now: now.adding(milliseconds: 3 * 86_400_000), grace: .seconds(3600))
        #expect(missed.count == 1 && missed.first?.jobId == nil, "missed: beyond the grace")
        // Paused only once its delivery gave up: a paused channel's deliveries wait.
        _ = try await Self.requests(notifications, count: 3)
        _ = try await bench.engine.record([ChannelPaused(channelId: brokenChannel, workspaceId: bench.ann.workspaceId,
                                                         failingSince: now, reason: "every delivery failed").event],
                                          by: "system", workspace: bench.ann.workspaceId)

        let requests = try await Self.requests(notifications, count: 4)
        try await Task.sleep(for: .milliseconds(300))
        #expect(notifications.requests.count == 4, "\(notifications.requests.map(\.text))")
        let byType = Dictionary(requests.map { (Self.type($0) ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(Set(byType.keys) == ["notification.content_published", "notification.distribution_dead_lettered",
                                     "notification.schedule_missed", "notification.channel_paused"])
        for request in requests {
            let data = try #require(try Self.json(request)["data"] as? [String: Any])
            let recipient = try #require(data["recipient"] as? [String: Any])
            #expect(recipient["userId"] as? String == bench.ann.userId.rawValue)
            #expect(recipient["name"] as? String == "Ann")
            #expect(!request.text.contains("ann@example.com"), "no email in a notification")
            #expect(!request.text.contains("whsec_"))
            #expect(Self.verify(request, secret: hook.secret))
        }
        let published = try #require(byType["notification.content_published"])
        #expect((try Self.json(published)["data"] as? [String: Any])?["channelId"] as? String == goodChannel.rawValue)
        let missedSchedule = try #require(byType["notification.schedule_missed"])
        #expect((try Self.json(missedSchedule)["data"] as? [String: Any])?["scheduleId"] as? String == schedule.value.scheduleId.rawValue)
        distributing.cancel()
        await distributing.value
        for receiver in [notifications, good, broken] { receiver.stop() }
        await bench.close()
    }
}
