import Foundation
import EventLog
import SmartContent
import SmartContentDomain
import SmartContentProjections
import SmartContentTesting
import Testing
import TestSupport

@Suite struct EngineScenarioTests {
    @Test func contentMovesThroughItsLifeAndEveryListFollows() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let engine = test.engine
        let alice = try await test.user("alice@example.com", name: "Alice")
        #expect(alice.role == .admin)

        let created = try await engine.createContent(
            .init(contentId: "cnt_launch", title: "Launch", body: "First draft", contentType: .blogPost, tone: .friendly,
                  keywords: ["launch"]), by: alice)
        var view = try #require(try await engine.read(ContentProjection.self, atLeast: created.position) {
            try $0.content("cnt_launch", in: alice.workspaceId)
        })
        #expect(view.version == 1)
        #expect(view.status == .draft)
        #expect(view.authorId == alice.userId)

        let updated = try await engine.updateContent(.init(contentId: "cnt_launch", body: "Second draft", changes: "tighter",
                                                           expectedVersion: 1), by: alice)
        let versions = try await engine.read(ContentProjection.self, atLeast: updated.position) { try $0.versions("cnt_launch") }
        #expect(versions.map(\.version) == [1, 2])
        #expect(versions.map(\.body) == ["First draft", "Second draft"])
        #expect(versions.map(\.changes) == ["created", "tighter"])

        let channel = try await engine.connectChannel(name: "Website", url: "https://example.com/hook", by: alice)
        let inOneHour = test.now.adding(milliseconds: 3_600_000)
        let scheduled = try await engine.schedule(
            .init(scheduleId: "sch_launch", contentId: "cnt_launch", publishTime: inOneHour, timezone: "Europe/Paris",
                  channels: [channel.value.channelId]), by: alice)
        view = try #require(try await engine.read(ContentProjection.self, atLeast: scheduled.position) {
            try $0.content("cnt_launch", in: alice.workspaceId)
        })
        #expect(view.status == .scheduled)
        let due = try await engine.read(ScheduleProjection.self, atLeast: scheduled.position) {
            try $0.due(at: inOneHour).map(\.scheduleId)
        }
        #expect(due == ["sch_launch"])
        let notYet = try await engine.read(ScheduleProjection.self) { try $0.due(at: inOneHour.adding(milliseconds: -1)) }
        #expect(notYet.isEmpty)
        let day = inOneHour.utcDay
        let ofTheDay = try await engine.read(ScheduleProjection.self) {
            try $0.list(in: alice.workspaceId, fromDay: day, toDay: day).items.map(\.scheduleId)
        }
        #expect(ofTheDay == ["sch_launch"])

        let cancelled = try await engine.cancelSchedule("sch_launch", by: alice)
        view = try #require(try await engine.read(ContentProjection.self, atLeast: cancelled.position) {
            try $0.content("cnt_launch", in: alice.workspaceId)
        })
        #expect(view.status == .draft)
        let schedule = try await engine.read(ScheduleProjection.self, atLeast: cancelled.position) { try $0.schedule("sch_launch") }
        #expect(schedule?.status == .cancelled)
        #expect(try await engine.read(ScheduleProjection.self) { try $0.due(at: inOneHour) }.isEmpty)

        let deleted = try await engine.deleteContent("cnt_launch", by: alice)
        let lists = try await engine.read(ContentProjection.self, atLeast: deleted.position) {
            (try $0.list(in: alice.workspaceId).items.count, try $0.list(in: alice.workspaceId, status: .deleted).items.map(\.contentId))
        }
        #expect(lists.0 == 0)
        #expect(lists.1 == ["cnt_launch"])
        await #expect { try await engine.updateContent(.init(contentId: "cnt_launch", title: "Again"), by: alice) }
            throws: { ($0 as? DomainError)?.code == .invalidState }
    }

    @Test func workspacesNeverSeeEachOthersContentAndViewersCannotWrite() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let engine = test.engine
        let alice = try await test.user("alice@example.com")
        let bob = try await test.user("bob@example.com")
        let post = try await engine.createContent(.init(contentId: "cnt_a", title: "A", body: "a", contentType: .article), by: alice)
        let seenByBob = try await engine.read(ContentProjection.self, atLeast: post.position) {
            try $0.content("cnt_a", in: bob.workspaceId)
        }
        #expect(seenByBob == nil)
        await #expect { try await engine.deleteContent("cnt_a", by: bob) } throws: { ($0 as? DomainError)?.code == .notFound }

        _ = try await engine.addMember(email: "bob@example.com", role: .viewer, by: alice)
        let bobInAlices = try await engine.actor(bob.userId, in: alice.workspaceId)
        #expect(bobInAlices.role == .viewer)
        let visible = try await engine.read(ContentProjection.self) { try $0.content("cnt_a", in: bobInAlices.workspaceId) }
        #expect(visible?.title == "A")
        await #expect { try await engine.updateContent(.init(contentId: "cnt_a", title: "B"), by: bobInAlices) }
            throws: { ($0 as? DomainError)?.code == .forbidden }
        await #expect { try await engine.actor(alice.userId, in: bob.workspaceId) }
            throws: { ($0 as? DomainError)?.code == .notFound }
    }

    @Test func listsPageWithCursorsNewestFirst() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let alice = try await test.user("alice@example.com")
        for n in 0..<25 {
            test.advance(milliseconds: 1000)
            _ = try await test.engine.createContent(.init(contentId: ContentID(rawValue: "cnt_\(n)")!, title: "T\(n)", body: "b",
                                                          contentType: .article), by: alice)
        }
        try await test.settle()
        var seen: [String] = []
        var cursor: [UInt8]?
        repeat {
            let page = try await test.engine.read(ContentProjection.self) { [cursor] in
                try $0.list(in: alice.workspaceId, limit: 10, cursor: cursor)
            }
            seen += page.items.map(\.contentId.rawValue)
            cursor = page.nextCursor.flatMap(PageCursor.decode)
        } while cursor != nil
        #expect(seen == (0..<25).reversed().map { "cnt_\($0)" })
    }

    @Test func analyticsAddUpExactly() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let engine = test.engine
        let alice = try await test.user("alice@example.com")
        for id in ["cnt_one", "cnt_two"] {
            _ = try await engine.createContent(.init(contentId: ContentID(rawValue: id)!, title: id, body: "b", contentType: .article),
                                               by: alice)
        }
        try await test.settle()
        func at(_ text: String) -> Instant { Instant(iso8601: text)! }
        var batch: [SmartContentEngine.Engagement] = []
        for _ in 0..<3 { batch.append(.init(contentId: "cnt_one", kind: .view, userId: ReaderID(rawValue: "r1"), occurredAt: at("2026-02-10T09:00:00Z"))) }
        batch.append(.init(contentId: "cnt_one", kind: .click, occurredAt: at("2026-02-10T09:30:00Z")))
        batch.append(.init(contentId: "cnt_one", kind: .conversion, occurredAt: at("2026-02-10T23:59:59.999Z"), value: 49.99))
        batch.append(.init(contentId: "cnt_one", kind: .conversion, occurredAt: at("2026-02-10T23:00:00Z")))
        batch.append(.init(contentId: "cnt_one", kind: .share, occurredAt: at("2026-02-11T00:00:00Z")))
        batch.append(.init(contentId: "cnt_one", kind: .share, occurredAt: at("2026-02-11T08:00:00Z")))
        for _ in 0..<5 { batch.append(.init(contentId: "cnt_two", kind: .view, occurredAt: at("2026-02-11T14:10:00Z"))) }
        let recorded = try await engine.recordEngagement(batch, by: alice)
        #expect(recorded.value == 13)

        let day10 = at("2026-02-10T00:00:00Z").utcDay
        let analytics = try await engine.read(AnalyticsProjection.self, atLeast: recorded.position) {
            try $0.content("cnt_one", fromDay: day10, toDay: day10 + 2)
        }
        // Two conversions, one worth 49.99 and one of no stated value: a count and a sum.
        #expect(analytics.totals == EngagementTotals(views: 3, clicks: 1, shares: 2, engagement: 0, conversions: 2,
                                                     conversionValue: 49.99))
        #expect(analytics.daily.map(\.date) == ["2026-02-10", "2026-02-11", "2026-02-12"])
        #expect(analytics.daily.map(\.views) == [3, 0, 0])
        #expect(analytics.daily.map(\.shares) == [0, 2, 0])
        #expect(analytics.daily.map(\.conversions) == [2, 0, 0])
        #expect(analytics.daily.map(\.conversionValue) == [49.99, 0, 0])

        let dashboard = try await engine.read(AnalyticsProjection.self) {
            try $0.dashboard(alice.workspaceId, fromDay: day10 + 1, toDay: day10 + 1)
        }
        #expect(dashboard.totals == EngagementTotals(views: 5, clicks: 0, shares: 2, engagement: 0, conversions: 0))
        // The leaders of the 11th alone: cnt_two's five views, then cnt_one's two shares.
        #expect(dashboard.topContent.map(\.contentId) == ["cnt_two", "cnt_one"])
        #expect(dashboard.topContent.map(\.totals.views) == [5, 0])
        let threeDays = try await engine.read(AnalyticsProjection.self) {
            try $0.dashboard(alice.workspaceId, fromDay: day10, toDay: day10 + 2)
        }
        #expect(threeDays.topContent.map(\.contentId) == ["cnt_one", "cnt_two"])
        #expect(threeDays.topContent.first?.totals.conversions == 2)
        #expect(threeDays.topContent.first?.totals.conversionValue == 49.99)

        // 2026-02-11 was a Wednesday: day 2 of the week counting from Monday = 0.
        let best = try await engine.read(AnalyticsProjection.self) { try $0.bestPostingTimes(alice.workspaceId, limit: 1) }
        #expect(best.first.map { [$0.dayOfWeek, $0.hour] } == [2, 14])
        #expect(best.first?.totals.views == 5)

        // Retrying a batch with client event ids counts nothing twice.
        let id = EventID()
        let first = try await engine.recordEngagement([.init(contentId: "cnt_two", kind: .click, occurredAt: at("2026-02-12T10:00:00Z"), eventId: id)], by: alice)
        let retry = try await engine.recordEngagement([.init(contentId: "cnt_two", kind: .click, occurredAt: at("2026-02-12T10:00:00Z"), eventId: id)], by: alice)
        #expect(first.value == 1)
        #expect(retry.value == 0)
        let clicks = try await engine.read(AnalyticsProjection.self, atLeast: retry.position) { try $0.allTime("cnt_two").clicks }
        #expect(clicks == 1000)

        await #expect { try await engine.recordEngagement([.init(contentId: "cnt_nope", kind: .view)], by: alice) }
            throws: { ($0 as? DomainError)?.code == .notFound }

        // A retry without occurredAt, later, is still the same event.
        let untimed = EventID()
        let once = try await engine.recordEngagement([.init(contentId: "cnt_two", kind: .share, eventId: untimed)], by: alice)
        test.advance(milliseconds: 5000)
        let twice = try await engine.recordEngagement([.init(contentId: "cnt_two", kind: .share, eventId: untimed)], by: alice)
        #expect(once.value == 1)
        #expect(twice.value == 0)
    }

    @Test func theDashboardRanksTheTopTenAsAFullSortWould() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let engine = test.engine
        let alice = try await test.user("alice@example.com")
        // 30 contents, views 0…14 twice over: ties everywhere, the tenth place among them.
        var views: [String: Int] = [:]
        for n in 0..<30 {
            let id = "cnt_\(String(format: "%02d", (n * 7) % 30))"
            views[id] = n % 15
            _ = try await engine.createContent(.init(contentId: ContentID(rawValue: id)!, title: id, body: "b", contentType: .article),
                                               by: alice)
        }
        try await test.settle()
        let day = Instant(iso8601: "2026-02-10T00:00:00Z")!
        var batch: [SmartContentEngine.Engagement] = []
        for (id, count) in views {
            for _ in 0..<count { batch.append(.init(contentId: ContentID(rawValue: id)!, kind: .view, occurredAt: day)) }
        }
        let recorded = try await engine.recordEngagement(batch, by: alice)
        let dashboard = try await engine.read(AnalyticsProjection.self, atLeast: recorded.position) {
            try $0.dashboard(alice.workspaceId, fromDay: day.utcDay, toDay: day.utcDay)
        }
        let expected = views.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10).map(\.key)
        #expect(dashboard.topContent.map(\.contentId.rawValue) == expected)
        #expect(dashboard.topContent.map(\.totals.views) == [14, 14, 13, 13, 12, 12, 11, 11, 10, 10])
        // Exports ask for every content (with engagement: the others have no row).
        let everything = try await engine.read(AnalyticsProjection.self) {
            try $0.dashboard(alice.workspaceId, fromDay: day.utcDay, toDay: day.utcDay, top: .max)
        }
        #expect(everything.topContent.map(\.contentId.rawValue)
                == views.filter { $0.value > 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key))
    }

    @Test func fiveBadPasswordsLockTheAccountAndTheUsersProjectionShowsIt() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let engine = test.engine
        let alice = try await test.user("alice@example.com")
        for attempt in 1...5 {
            await #expect {
                _ = try await engine.authenticate(email: "alice@example.com", password: "Wrong-Password-1", ipAddress: "192.0.2.1")
            } throws: { ($0 as? DomainError)?.code == .unauthorized }
        }
        let record = try #require(try await engine.read(UserProjection.self) { try $0.user(alice.userId) })
        #expect(record.failedLogins == 5)
        #expect(record.isLocked(at: test.now))
        // Locked, the right password is refused exactly as an unknown email is.
        await #expect { _ = try await engine.authenticate(email: "alice@example.com", password: TestEngine.password) }
            throws: { ($0 as? DomainError)?.code == .unauthorized && "\($0)".contains("invalid email or password") }
        test.advance(milliseconds: UserRules.lockDuration)
        let user = try await engine.authenticate(email: "Alice@Example.com", password: TestEngine.password)
        #expect(user.userId == alice.userId)
        await #expect { _ = try await engine.authenticate(email: "nobody@example.com", password: TestEngine.password) }
            throws: { ($0 as? DomainError)?.code == .unauthorized }
        await #expect { _ = try await engine.register(email: "alice@example.com", password: TestEngine.password, name: "Again") }
            throws: { ($0 as? DomainError)?.code == .alreadyExists }
    }

    @Test func theAuditTrailTellsWhoDidWhat() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let engine = test.engine
        let alice = try await test.user("alice@example.com")
        let created = try await engine.createContent(.init(contentId: "cnt_x", title: "X", body: "x", contentType: .article), by: alice)
        let updated = try await engine.updateContent(.init(contentId: "cnt_x", title: "Y"), by: alice)
        let trail = try await engine.read(AuditProjection.self, atLeast: updated.position) { try $0.byEntity("content-cnt_x") }
        #expect(trail.map(\.type) == ["ContentCreated", "ContentUpdated"])
        #expect(trail.map(\.position) == [created.position, updated.position])
        #expect(trail.allSatisfy { $0.actor == alice.userId.rawValue })
        let bySubject = try await engine.read(AuditProjection.self) { try $0.bySubject(alice.userId.rawValue).map(\.type) }
        #expect(bySubject == ["UserRegistered", "WorkspaceCreated", "MemberAdded", "ContentCreated", "ContentUpdated"])
    }

    @Test func recommendationFeaturesTrackReadersAndForgetErasedOnes() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let engine = test.engine
        let alice = try await test.user("alice@example.com")
        for id in ["cnt_a", "cnt_b", "cnt_c"] {
            _ = try await engine.createContent(.init(contentId: ContentID(rawValue: id)!, title: id, body: "b", contentType: .article,
                                                     keywords: [id]), by: alice)
        }
        try await test.settle()
        let r1 = ReaderID(rawValue: "reader-1")!, r2 = ReaderID(rawValue: "reader-2")!
        let written = try await engine.recordEngagement([
            .init(contentId: "cnt_a", kind: .view, userId: r1), .init(contentId: "cnt_b", kind: .click, userId: r1),
            .init(contentId: "cnt_a", kind: .view, userId: r2), .init(contentId: "cnt_c", kind: .share, userId: r2),
            .init(contentId: "cnt_a", kind: .view, userId: r2),
        ], by: alice)
        // The read model knows readers by pseudonym: "reader-2" could be an email.
        let held1 = try engine.heldSubject("reader-1"), held2 = try engine.heldSubject("reader-2")
        #expect(held1.hasPrefix("rdr_") && held2.hasPrefix("rdr_") && held1 != held2)
        let (co, interactions, features) = try await engine.read(RecommendationProjection.self, atLeast: written.position) {
            (try $0.coEngagement(with: "cnt_a"), try $0.interactions(of: held2), try $0.features("cnt_c"))
        }
        #expect(co == ["cnt_b": 1, "cnt_c": 1])
        #expect(interactions.map(\.0) == ["cnt_a", "cnt_c"])
        #expect(interactions.first?.1.views == 2000)
        #expect(features?.keywords == ["cnt_c"])
        #expect(try await engine.read(RecommendationProjection.self) { try $0.interactions(of: "reader-2") }.isEmpty)

        let erasure = try await engine.erase(subject: "reader-2", by: alice.userId.rawValue)
        let after = try await engine.read(RecommendationProjection.self, atLeast: erasure.position) {
            (try $0.interactions(of: held2), try $0.readers(of: "cnt_a"), try $0.popularity("cnt_a").views)
        }
        #expect(after.0.isEmpty)
        #expect(after.1 == [held1])
        #expect(after.2 == 3000, "popularity keeps its totals")
        #expect(try engine.heldSubject("reader-2") == "reader-2", "the erasure forgot which pseudonym stood for reader-2")
    }

    @Test func givenWhenThenHelpersReportEventsAndErrors() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let alice = try await test.user("alice@example.com")
        try await test.given([ContentCreated(contentId: "cnt_g", workspaceId: alice.workspaceId, authorId: alice.userId,
                                             title: "G", body: "g", contentType: .email).event])
        let deleted = await test.when { try await $0.deleteContent("cnt_g", by: alice) }
        #expect(deleted.events == [ContentDeleted(contentId: "cnt_g", deletedBy: alice.userId).event])
        #expect(deleted.error == nil)
        let again = await test.when { try await $0.deleteContent("cnt_g", by: alice) }
        #expect(again.events.isEmpty)
        #expect(again.errorCode == .invalidState)
    }

    @Test func refiningMakesANewVersionFromTheGenerator() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let alice = try await test.user("alice@example.com")
        let bob = try await test.user("bob@example.com")
        let body = (1...30).map { "The draft makes point number \($0) about the launch." }.joined(separator: " ")
        let created = try await test.engine.createContent(.init(contentId: "cnt_r", title: "Draft", body: body, contentType: .article),
                                                          by: alice)
        let refined = try await test.engine.refineContent("cnt_r", instructions: "make it friendlier", by: alice)
        #expect(refined.value.version == 2)
        #expect(refined.value.body != body)
        #expect(refined.value.tone == .friendly)
        #expect(refined.value.generated.generator == "offline")
        let versions = try await test.engine.read(ContentProjection.self, atLeast: refined.position) { try $0.versions("cnt_r") }
        #expect(versions.map(\.version) == [1, 2])
        #expect(versions.last?.changes == "refined: make it friendlier")
        await #expect { try await test.engine.refineContent("cnt_r", instructions: "x", by: bob) }
            throws: { ($0 as? DomainError)?.code == .notFound }
        await #expect { try await test.engine.refineContent("cnt_r", instructions: "   ", by: alice) }
            throws: { ($0 as? DomainError)?.details["field"] == "instructions" }
        _ = created
    }

    @Test func generatedContentHonoursTheRequest() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let alice = try await test.user("alice@example.com")
        let request = GenerationRequest(contentType: .blogPost, topic: "edge computing", tone: .enthusiastic, length: 800,
                                        keywords: ["latency", "5G", "IoT devices"], targetAudience: "CTOs", seed: 2026)
        let first = try await test.engine.generateContent(request, by: alice)
        let words = first.value.body.split(whereSeparator: \.isWhitespace).count
        #expect((720...880).contains(words))
        for keyword in request.keywords { #expect(first.value.body.contains(keyword)) }
        #expect(first.value.body.contains("edge computing"))
        #expect(first.value.generated?.length == 800)
        #expect(first.value.generated?.generator == "offline")
        let second = try await test.engine.generateContent(request, by: alice)
        #expect(second.value.body == first.value.body, "the same seed gives the same text")
        for length in [100, 5000] {
            let text = try await OfflineContentGenerator().generate(.init(contentType: .email, topic: "t", length: length)).body
            let count = text.split(whereSeparator: \.isWhitespace).count
            #expect(Double(count) >= Double(length) * 0.9 && Double(count) <= Double(length) * 1.1)
        }
        await #expect { try await test.engine.generateContent(.init(contentType: .email, topic: "t", length: 49), by: alice) }
            throws: { ($0 as? DomainError)?.details["field"] == "length" }
    }
}

extension EngagementTotals {
    init(views: Double, clicks: Double, shares: Double, engagement: Double, conversions: Double, conversionValue: Double = 0) {
        var counters = EngagementCounters()
        counters.views = EngagementCounters.milli(views)
        counters.clicks = EngagementCounters.milli(clicks)
        counters.shares = EngagementCounters.milli(shares)
        counters.engagement = EngagementCounters.milli(engagement)
        counters.conversions = EngagementCounters.milli(conversions)
        counters.conversionValue = EngagementCounters.milli(conversionValue)
        self.init(counters)
    }
}

/// An engine refusing a store that lost its key store lets go of it at once, so the
/// caller can put the keys back and open it again without restarting.
@Test func aStoreWithoutItsKeysIsRefusedAndCanBeOpenedOnceTheyAreBack() async throws {
    let temporary = TemporaryDirectory("keys")
    defer { temporary.remove() }
    let directory = temporary.path
    var configuration = SmartContentEngine.Configuration()
    configuration.runsProjections = false
    let engine = try SmartContentEngine(directory: directory)
    _ = try await engine.register(email: "kim@example.com", password: "Correct-Horse-9", name: "Kim")
    await engine.close()
    try FileManager.default.moveItem(atPath: directory + "/keys", toPath: directory + "/keys-aside")

    // Twice in a row: the second attempt must meet the same refusal, not a log still held
    // open by the first.
    for _ in 0..<2 {
        #expect {
            _ = try SmartContentEngine(directory: directory, configuration: configuration)
        } throws: { error in
            guard case PersonalDataVault.Failure.keysMissing = error else { return false }
            return true
        }
    }
    #expect(!FileManager.default.fileExists(atPath: directory + "/keys"))

    try FileManager.default.moveItem(atPath: directory + "/keys-aside", toPath: directory + "/keys")
    let reopened = try SmartContentEngine(directory: directory, configuration: configuration)
    try reopened.projections.catchUp()
    let user = try await reopened.read(UserProjection.self) { try $0.user(email: "kim@example.com") }
    #expect(user?.name == "Kim")
    await reopened.close()
}
