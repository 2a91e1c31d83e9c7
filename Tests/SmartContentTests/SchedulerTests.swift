import EventLog
import Foundation
import SmartContent
import SmartContentDomain
import SmartContentProjections
import SmartContentTesting
import Testing
import TestSupport

/// The scheduler's firing on a real store: exactly once under racing schedulers and
/// restarts, overdue occurrences oldest first, the grace period, cancels and updates.
@Suite(.timeLimit(.minutes(10))) struct SchedulerTests {
    static let start = Instant(iso8601: "2027-01-04T08:00:00Z")!
    static let hour: Int64 = 3_600_000

    /// A user with content and a channel, ready to schedule.
    static func setUp(_ engine: SmartContentEngine) async throws -> (Actor, ContentID, ChannelID) {
        let registered = try await engine.register(email: "ann@example.com", password: TestEngine.password, name: "Ann")
        let ann = try await engine.actor(registered.value.userId)
        let content = try await engine.createContent(.init(title: "Launch", body: "Body", contentType: .blogPost), by: ann)
        let channel = try await engine.connectChannel(name: "Blog", url: "https://example.com/hook", by: ann)
        return (ann, content.value.contentId, channel.value.channelId)
    }

    /// The ids of the schedules of the log's `type` events, one entry per event.
    static func logged(_ type: String, in engine: SmartContentEngine) throws -> [ScheduleID] {
        try engine.log.withSnapshot { snapshot in
            var ids: [ScheduleID] = []
            try snapshot.forEach(from: 1) { view in
                guard view.type == type else { return true }
                switch try EventCatalog.decode(view) {
                case .scheduleFired(let e): ids.append(e.scheduleId)
                case .scheduleMissed(let e): ids.append(e.scheduleId)
                case .distributionRequested(let e): if let id = e.scheduleId { ids.append(id) }
                default: break
                }
                return true
            }
            return ids
        }
    }

    static func schedule(_ id: ScheduleID, in engine: SmartContentEngine) async throws -> ScheduleState? {
        try await engine.read(ScheduleProjection.self, atLeast: try engine.log.lastPosition()) { try $0.schedule(id) }
    }

    @Test func schedulersRacingOnOneEngineFireEachScheduleOnce() async throws {
        let test = try TestEngine(now: Self.start)
        let engine = test.engine
        let (ann, content, channel) = try await Self.setUp(engine)
        let ids = (0..<24).map { ScheduleID(rawValue: "sch_race\($0)")! }
        for (index, id) in ids.enumerated() {
            try await engine.schedule(.init(scheduleId: id, contentId: content,
                                            publishTime: Self.start.adding(milliseconds: Self.hour + Int64(index) * 1000),
                                            timezone: "UTC", channels: [channel]), by: ann)
        }
        test.advance(milliseconds: 2 * Self.hour)
        let firings = try await withThrowingTaskGroup(of: [SmartContentEngine.Firing].self) { group in
            for _ in 0..<4 { group.addTask { try await engine.fireDueSchedules() } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(firings.count == ids.count)
        #expect(try Self.logged("ScheduleFired", in: engine).sorted() == ids.sorted())
        #expect(try Self.logged("DistributionRequested", in: engine).sorted() == ids.sorted())
        #expect(try await engine.fireDueSchedules().isEmpty)
        let state = try #require(try await Self.schedule(ids[0], in: engine))
        #expect(state.status == .published && state.firedCount == 1 && state.jobId != nil)
        await test.close()
    }

    /// A clock the test moves, shared by the engines it opens on one directory.
    final class Clock: Sendable {
        let millis: Atomic
        init(_ instant: Instant) { millis = Atomic(instant.millisecondsSince1970) }
        var now: Instant { Instant(millisecondsSince1970: millis.value) }
        func set(_ instant: Instant) { millis.value = instant.millisecondsSince1970 }

        final class Atomic: @unchecked Sendable {
            // @unchecked: every access to `stored` holds `lock`.
            private let lock = NSLock()
            private var stored: Int64
            init(_ value: Int64) { stored = value }
            var value: Int64 {
                get { lock.withLock { stored } }
                set { lock.withLock { stored = newValue } }
            }
        }
    }

    static func open(_ directory: String, _ clock: Clock) throws -> SmartContentEngine {
        var configuration = SmartContentEngine.Configuration()
        configuration.durability = .noSync
        configuration.passwordHasher = BcryptPasswordHasher(cost: 4)
        configuration.clock = { clock.now }
        return try SmartContentEngine(directory: directory, configuration: configuration)
    }

    @Test func aRestartNeitherLosesNorRepeatsAFiring() async throws {
        let temporary = TemporaryDirectory("scheduler")
        defer { temporary.remove() }
        let directory = temporary.path
        let clock = Clock(Self.start)
        var engine = try Self.open(directory, clock)
        let (ann, content, channel) = try await Self.setUp(engine)
        for (id, hours) in [("sch_first", 1), ("sch_during", 3), ("sch_after", 30)] {
            try await engine.schedule(.init(scheduleId: ScheduleID(rawValue: id)!, contentId: content,
                                            publishTime: Self.start.adding(milliseconds: Int64(hours) * Self.hour),
                                            timezone: "UTC", channels: [channel]), by: ann)
        }
        clock.set(Self.start.adding(milliseconds: 2 * Self.hour))
        #expect(try await engine.fireDueSchedules().count == 1)
        await engine.close()

        // Down while sch_during came due; up again: it fires, sch_first does not again.
        clock.set(Self.start.adding(milliseconds: 5 * Self.hour))
        engine = try Self.open(directory, clock)
        #expect(try await engine.fireDueSchedules().map(\.scheduleId) == ["sch_during"])
        await engine.close()
        engine = try Self.open(directory, clock)
        #expect(try await engine.fireDueSchedules().isEmpty)
        #expect(try Self.logged("ScheduleFired", in: engine).sorted() == ["sch_during", "sch_first"])
        #expect(try Self.logged("DistributionRequested", in: engine).sorted() == ["sch_during", "sch_first"])
        await engine.close()
    }

    @Test func overdueSchedulesFireOldestFirstAndThoseBeyondTheGraceAreMissed() async throws {
        let test = try TestEngine(now: Self.start)
        let engine = test.engine
        let (ann, content, channel) = try await Self.setUp(engine)
        // Scheduled out of order, due at +3h, +1h (beyond the grace by then), +2h and +40h.
        for (id, hours) in [("sch_c", 3), ("sch_a", 1), ("sch_b", 2), ("sch_later", 40)] {
            try await engine.schedule(.init(scheduleId: ScheduleID(rawValue: id)!, contentId: content,
                                            publishTime: Self.start.adding(milliseconds: Int64(hours) * Self.hour),
                                            timezone: "UTC", channels: [channel]), by: ann)
        }
        test.advance(milliseconds: 25 * Self.hour + Self.hour / 2)
        let firings = try await engine.fireDueSchedules(grace: .seconds(24 * 3600))
        #expect(firings.map(\.scheduleId) == ["sch_a", "sch_b", "sch_c"])
        #expect(firings.map(\.occurrence) == [1, 2, 3].map { Self.start.adding(milliseconds: $0 * Self.hour) })
        #expect(firings.map { $0.jobId == nil } == [true, false, false], "sch_a missed, the others fired")
        let missed = try #require(try await Self.schedule("sch_a", in: engine))
        #expect(missed.status == .missed)
        #expect(missed.missedReason?.contains("beyond the grace period of 1d") == true)
        #expect(try await Self.schedule("sch_later", in: engine)?.status == .scheduled)
        #expect(try Self.logged("DistributionRequested", in: engine).sorted() == ["sch_b", "sch_c"])
        await test.close()
    }

    @Test func cancelledAndUpdatedSchedulesFireAsTheirLatestStateSays() async throws {
        let test = try TestEngine(now: Self.start)
        let engine = test.engine
        let (ann, content, channel) = try await Self.setUp(engine)
        let other = try await engine.connectChannel(name: "Mail", url: "https://example.com/mail", by: ann).value.channelId
        for id in ["sch_cancelled", "sch_moved", "sch_rerouted"] {
            try await engine.schedule(.init(scheduleId: ScheduleID(rawValue: id)!, contentId: content,
                                            publishTime: Self.start.adding(milliseconds: Self.hour),
                                            timezone: "UTC", channels: [channel]), by: ann)
        }
        try await engine.cancelSchedule("sch_cancelled", by: ann)
        try await engine.updateSchedule("sch_moved", publishTime: Self.start.adding(milliseconds: 5 * Self.hour), by: ann)
        try await engine.updateSchedule("sch_rerouted", channels: [other], by: ann)
        test.advance(milliseconds: 2 * Self.hour)
        #expect(try await engine.fireDueSchedules().map(\.scheduleId) == ["sch_rerouted"])
        let job = try #require(try await Self.schedule("sch_rerouted", in: engine)?.jobId)
        let requested = try await engine.read(DistributionProjection.self, atLeast: try engine.log.lastPosition()) {
            try $0.job(job)
        }
        #expect(requested?.deliveries.map(\.channelId) == [other])
        test.advance(milliseconds: 3 * Self.hour)
        #expect(try await engine.fireDueSchedules().map(\.scheduleId) == ["sch_moved"])
        #expect(try Self.logged("ScheduleFired", in: engine).sorted() == ["sch_moved", "sch_rerouted"])
        await test.close()
    }

    @Test func aRecurringScheduleFiresEachOccurrenceOnceAndCatchesUpAfterDowntime() async throws {
        let test = try TestEngine(now: Instant(iso8601: "2027-03-26T00:00:00Z")!)
        let engine = test.engine
        let (ann, content, channel) = try await Self.setUp(engine)
        try await engine.schedule(.init(scheduleId: "sch_daily", contentId: content, time: .local(LocalDateTime("2027-03-26T09:00:00")!),
                                        timezone: "Europe/Paris", channels: [channel],
                                        recurrence: Recurrence(frequency: .daily)), by: ann)
        test.advance(milliseconds: 8 * Self.hour)   // 08:00Z = 09:00 in Paris
        #expect(try await engine.fireDueSchedules().count == 1)
        #expect(try await engine.fireDueSchedules().isEmpty)
        var state = try #require(try await Self.schedule("sch_daily", in: engine))
        #expect(state.publishTime == Instant(iso8601: "2027-03-27T08:00:00Z"))
        // Down for two days across the change to summer time: both occurrences fire, in order.
        test.advance(milliseconds: 2 * 24 * Self.hour)
        let caughtUp = try await engine.fireDueSchedules()
        #expect(caughtUp.map(\.occurrence) == ["2027-03-27T08:00:00Z", "2027-03-28T07:00:00Z"].map { Instant(iso8601: $0)! })
        state = try #require(try await Self.schedule("sch_daily", in: engine))
        #expect(state.publishTime == Instant(iso8601: "2027-03-29T07:00:00Z"))
        #expect(state.localPublishTime.description == "2027-03-29T09:00:00")
        #expect(state.status == .scheduled && state.firedCount == 3)
        await test.close()
    }
}

extension SmartContentEngine.Firing {
    var scheduleId: ScheduleID {
        switch self {
        case .fired(let id, _, _), .missed(let id, _): id
        }
    }

    var occurrence: Instant {
        switch self {
        case .fired(_, let occurrence, _), .missed(_, let occurrence): occurrence
        }
    }

    var jobId: JobID? {
        if case .fired(_, _, let job) = self { job } else { nil }
    }
}
