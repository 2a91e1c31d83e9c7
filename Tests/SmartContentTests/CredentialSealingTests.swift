import EventLog
import SmartContent
import SmartContentDomain
import SmartContentProjections
import SmartContentTesting
import Testing

/// Credentials are written to an append-only log: in clear there, they could never be
/// rotated out of it. They are sealed under their holder's key instead.
@Suite struct CredentialSealingTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    @Test func aChannelSecretIsSealedOpensWhereUsedAndDiesWithTheChannel() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let engine = test.engine
        let alice = try await test.user("alice@example.com")
        let connected = try await engine.connectChannel(name: "Hook", url: "https://example.com/hook", secret: Self.secret,
                                                        by: alice)
        let id = connected.value.channelId
        let record = try #require(try await engine.read(DistributionProjection.self, atLeast: connected.position) { try $0.channel(id) })
        let stored = try #require(record.secret)
        #expect(stored != Self.secret && stored.hasPrefix("sealed:"), "the read model holds it sealed too")
        #expect(try engine.vault.openCredential(stored, field: .secret, holder: id.rawValue) == Self.secret)
        // Every output redacts it.
        let replayed = try await test.replayed()
        #expect(!replayed.contains(Self.secret) && replayed.contains(#""secret":"[redacted]""#))
        #expect(!replayed.contains("$2"), "no bcrypt hash either: \(replayed)")

        let disconnected = try await engine.disconnectChannel(id, by: alice)
        try await test.settle(disconnected.position)
        #expect(try engine.vault.openCredential(stored, field: .secret, holder: id.rawValue) == nil,
                "disconnecting destroys the channel's key, and with it the secret")
    }

    @Test func aWebhookSecretIsSealedUnderItsSubscriptionAndDiesWithIt() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let engine = test.engine
        let alice = try await test.user("alice@example.com")
        let created = try await engine.subscribeWebhook(url: "https://example.com/events", eventTypes: ["*"], secret: Self.secret,
                                                        by: alice)
        let id = created.value.subscriptionId
        let record = try #require(try await engine.read(WebhookProjection.self, atLeast: created.position) { try $0.subscription(id) })
        #expect(record.secret.hasPrefix("sealed:"), "the log and the read model hold it sealed")
        #expect(try engine.vault.openCredential(record.secret, field: .secret, holder: id.rawValue) == Self.secret)
        let logged = try await engine.events(after: 0).compactMap { event -> WebhookSubscribed? in
            if case .webhookSubscribed(let subscribed) = event.event { subscribed } else { nil }
        }
        #expect(logged.count == 1 && logged.first?.secret != Self.secret)

        let unsubscribed = try await engine.unsubscribeWebhook(id, by: alice)
        try await test.settle(unsubscribed.position)
        #expect(try engine.vault.openCredential(record.secret, field: .secret, holder: id.rawValue) == nil,
                "unsubscribing destroys the subscription's key, and with it the secret")
    }

    @Test func aPasswordHashIsSealedAndLoginStillChecksIt() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let alice = try await test.user("alice@example.com")
        let record = try #require(try await test.engine.read(UserProjection.self) { try $0.user(alice.userId) })
        #expect(record.passwordHash.hasPrefix("sealed:"))
        #expect(try await test.engine.authenticate(email: "alice@example.com", password: TestEngine.password).userId == alice.userId)
        await #expect(throws: DomainError.self) {
            _ = try await test.engine.authenticate(email: "alice@example.com", password: "Wrong-Password-1")
        }
    }
}
