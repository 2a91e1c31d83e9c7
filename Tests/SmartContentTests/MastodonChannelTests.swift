import EventLog
import Foundation
import SmartContent
import SmartContentDomain
import SmartContentProjections
import SmartContentTesting
import Testing

/// Mastodon channels against a fake instance on loopback: the limit read at connection,
/// the status posted once however often it is retried, the limit checked when scheduling,
/// and the access token kept sealed.
@Suite(.timeLimit(.minutes(5))) struct MastodonChannelTests {
    typealias Bench = DistributorTests.Bench

    static func connect(_ bench: Bench, to mastodon: FakeMastodon, token: String? = nil) async throws
        -> Written<SmartContentEngine.ConnectedChannel> {
        try await bench.test.engine.connectChannel(
            ChannelConnection(name: "Toots", kind: .mastodon, url: mastodon.url + "/", credential: token ?? mastodon.token),
            by: bench.actor)
    }

    static func channel(_ bench: Bench, _ connected: Written<SmartContentEngine.ConnectedChannel>) async throws -> ChannelRecord {
        let id = connected.value.channelId
        return try #require(try await bench.test.engine.read(DistributionProjection.self, atLeast: connected.position) {
            try $0.channel(id)
        })
    }

    static let longBody = (1...120).map { "word\($0)" }.joined(separator: " ")

    @Test func connectingReadsTheInstancesCharacterLimit() async throws {
        let bench = try await Bench(policy: DistributorTests.policy())
        let mastodon = try FakeMastodon(instance: .limit(321))
        let connected = try await Self.connect(bench, to: mastodon)
        let channel = try await Self.channel(bench, connected)
        #expect(channel.kind == .mastodon)
        #expect(channel.url == mastodon.url, "the instance's root, without the trailing slash")
        #expect(channel.characterLimit == 321 && channel.characterLimitSource == .instance)
        #expect(connected.value.note == nil && connected.value.secret == nil, "the token is never shown back")
        #expect(mastodon.requests.map(\.path) == ["/api/v2/instance"])
        mastodon.stop()
        await bench.close()
    }

    @Test func anInstanceThatDoesNotSayKeepsMastodonsDefaultOf500() async throws {
        let bench = try await Bench(policy: DistributorTests.policy())
        let silent = try FakeMastodon(instance: .withoutLimit)
        let failing = try FakeMastodon(instance: .failing(503))
        let gone = try FakeMastodon()
        gone.stop()
        for (mastodon, reason) in [(silent, "max_characters"), (failing, "HTTP 503"), (gone, "could not be read")] {
            let connected = try await Self.connect(bench, to: mastodon)
            let channel = try await Self.channel(bench, connected)
            #expect(channel.characterLimit == 500 && channel.characterLimitSource == .fallback)
            #expect(connected.value.note?.contains(reason) == true, "\(connected.value.note ?? "no note")")
        }
        for (url, token, field) in [("ftp://x.example", "t", "instanceUrl"), ("https://x.example/?a=1", "t", "instanceUrl"),
                                    ("https://x.example", " ", "accessToken"), ("https://x.example", "a b", "accessToken")] {
            let error = await #expect(throws: DomainError.self) {
                try await bench.test.engine.connectChannel(ChannelConnection(name: "Bad", kind: .mastodon, url: url, credential: token),
                                                           by: bench.actor)
            }
            #expect(error?.details["field"] == field)
        }
        [silent, failing].forEach { $0.stop() }
        await bench.close()
    }

    @Test func aRetriedDeliveryPostsOneStatusWithTheSameIdempotencyKey() async throws {
        let bench = try await Bench(policy: DistributorTests.policy())
        // The first post is made but its answer is lost (503): the retry must not post again.
        let mastodon = try FakeMastodon(instance: .limit(120), lostAnswers: 1)
        let connected = try await Self.connect(bench, to: mastodon)
        let content = try await bench.test.engine.createContent(
            .init(title: "Launch day", body: Self.longBody, contentType: .article), by: bench.actor).value.contentId
        let preview = try #require(try await bench.test.engine.postPreviews(of: content, on: [connected.value.channelId],
                                                                            by: bench.actor).first)
        #expect(preview.limit == 120 && preview.characters <= 120 && preview.text.hasSuffix("…"))
        #expect(preview.text.hasPrefix("Launch day\n\nword1 word2 "))

        let job = try await bench.test.engine.requestPublication(of: content, to: [connected.value.channelId], by: bench.actor)
            .value.jobId
        let done = try await bench.job(job) { $0.status == .delivered }
        #expect(done.status == .delivered)
        let posts = mastodon.requests.filter { $0.path == "/api/v1/statuses" }
        #expect(posts.count == 2, "the lost answer was retried")
        #expect(Set(posts.map { $0.headers["idempotency-key"] ?? "" }) == [done.deliveries[0].webhookId])
        #expect(posts.allSatisfy { $0.headers["authorization"] == "Bearer \(mastodon.token)" })
        #expect(mastodon.statuses.count == 1, "one status for one Idempotency-Key")
        let status = try #require(mastodon.statuses.first)
        #expect(status.text == preview.text, "what was posted is what the preview showed")
        #expect(status.visibility == "public")
        #expect(done.deliveries[0].externalId == status.id)
        mastodon.stop()
        await bench.close()
    }

    @Test func aRefusedTokenFailsTheDeliveryAtOnceSayingWhy() async throws {
        let bench = try await Bench(policy: DistributorTests.policy())
        let mastodon = try FakeMastodon()
        let connected = try await Self.connect(bench, to: mastodon, token: "revoked-token")
        let job = try await bench.publish(to: [connected.value.channelId])
        let done = try await bench.job(job) { !$0.status.isPending }
        #expect(done.status == .failed, "a 401 is not retried")
        #expect(done.deliveries[0].attempts == 1)
        #expect(done.deliveries[0].lastError == "HTTP 401: The access token is invalid")
        #expect(mastodon.statuses.isEmpty)
        mastodon.stop()
        await bench.close()
    }

    @Test func contentOverTheLimitIsRefusedWhenScheduledOrPublished() async throws {
        let bench = try await Bench(policy: DistributorTests.policy())
        let mastodon = try FakeMastodon(instance: .limit(30))
        let connected = try await Self.connect(bench, to: mastodon)
        let channel = connected.value.channelId
        let engine = bench.test.engine
        let long = try await engine.createContent(
            .init(title: "A title that is longer than thirty characters", body: "Body.", contentType: .article),
            by: bench.actor).value.contentId
        let future = ScheduleRules.PublishTime.instant(engine.now.adding(milliseconds: 86_400_000))
        let error = await #expect(throws: DomainError.self) {
            try await engine.schedule(.init(contentId: long, time: future, timezone: "UTC", channels: [channel]), by: bench.actor)
        }
        #expect(error?.code == .invalidParameters)
        #expect(error?.details["channelId"] == channel.rawValue && error?.details["limit"] == "30")
        #expect(error?.message.contains("limit 30") == true, "\(error?.message ?? "")")
        await #expect(throws: DomainError.self) {
            try await engine.requestPublication(of: long, to: [channel], by: bench.actor)
        }
        // A title that fits, its body cut; and a webhook beside it has no limit.
        let short = try await engine.createContent(.init(title: "Short", body: Self.longBody, contentType: .article),
                                                   by: bench.actor).value.contentId
        let scheduled = try await engine.schedule(.init(contentId: short, time: future, timezone: "UTC", channels: [channel]),
                                                  by: bench.actor)
        #expect(scheduled.value.channels == [channel])
        // Moving the schedule to the channel is checked too (with the content it schedules).
        let hook = try await engine.connectChannel(name: "Hook", url: "https://example.com/hook", by: bench.actor).value.channelId
        let other = try await engine.schedule(.init(contentId: long, time: future, timezone: "UTC", channels: [hook]), by: bench.actor)
        await #expect(throws: DomainError.self) {
            try await engine.updateSchedule(other.value.scheduleId, time: nil, channels: [hook, channel], by: bench.actor)
        }
        #expect(mastodon.statuses.isEmpty)
        mastodon.stop()
        await bench.close()
    }

    @Test func theAccessTokenIsSealedAndNeverShown() async throws {
        let bench = try await Bench(policy: DistributorTests.policy())
        let mastodon = try FakeMastodon(token: "tok_UniqueAccessToken_9f3b")
        let connected = try await Self.connect(bench, to: mastodon)
        let channel = try await Self.channel(bench, connected)
        let stored = try #require(channel.secret)
        #expect(stored.hasPrefix("sealed:"))
        #expect(try bench.test.engine.vault.openCredential(stored, field: .secret, holder: channel.channelId.rawValue)
            == mastodon.token)
        let shown = String(decoding: try JSONEncoder().encode(channel), as: UTF8.self)
        #expect(!shown.contains(mastodon.token) && shown.contains(#""kind":"mastodon""#))

        let engine = bench.test.engine
        let replayed = try await bench.test.replayed()
        #expect(!replayed.contains(mastodon.token) && replayed.contains(#""secret":"[redacted]""#))
        #expect(replayed.contains(#""type":"ChannelCharacterLimitSet""#) && replayed.contains(#""characterLimit":500,"source":"instance""#))
        // Nowhere in the store's files in clear.
        let files = FileManager.default.enumerator(atPath: bench.test.directory)?.compactMap { $0 as? String } ?? []
        for file in files {
            let data = FileManager.default.contents(atPath: bench.test.directory + "/" + file) ?? Data()
            #expect(data.range(of: Data(mastodon.token.utf8)) == nil, "\(file)")
        }
        await #expect(throws: DomainError.self) {
            try await engine.rotateChannelSecret(channel.channelId, by: bench.actor)
        }
        mastodon.stop()
        await bench.close()
    }

    @Test func theTextIsTheTitleAndTheBodyCutOnAWordBoundary() throws {
        #expect(try PostText.compose(title: " Hello ", body: "World. ", limit: 500) == "Hello\n\nWorld.")
        let cut = try PostText.compose(title: "Title", body: "one two, three four five", limit: 22)
        #expect(cut == "Title\n\none two, three…" && PostText.count(cut) <= 22)
        #expect(try PostText.compose(title: "Title", body: "one two, three four five", limit: 15) == "Title\n\none two…",
                "the comma before the cut goes")
        #expect(try PostText.compose(title: "Title", body: "supercalifragilistic", limit: 12) == "Title",
                "no word fits: the title alone")
        #expect(throws: PostTooLong.self) { try PostText.compose(title: "A long title", body: "b", limit: 5) }
        #expect(PostText.count("👩🏽‍💻 é") == 3, "graphemes, as Mastodon counts")
        #expect(PostText.count("see https://example.com/a/very/long/path/that/goes/on/and/on.") == 4 + 23 + 1,
                "a link counts 23, its trailing dot apart")
    }
}
