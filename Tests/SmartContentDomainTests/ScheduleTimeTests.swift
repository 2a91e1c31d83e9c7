import Foundation
import SmartContentDomain
import Testing

/// Local publish times, the daylight-saving rule and recurrence, on the tz database:
/// Europe/Paris changes on 2027-03-28 (02:00 → 03:00, at 01:00Z) and 2027-10-31
/// (03:00 → 02:00, at 01:00Z); America/New_York on 2027-03-14 and 2027-11-07.
@Suite struct ScheduleTimeTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func local(_ text: String) -> LocalDateTime { LocalDateTime(text)! }
    static func instant(_ text: String) -> Instant { Instant(iso8601: text)! }

    @Test func aLocalTimeIsReadInItsZoneAndAnInstantKeepsItsOffset() {
        #expect(Self.local("2027-01-01T09:00:00").resolved(in: Self.paris).instant == Self.instant("2027-01-01T08:00:00Z"))
        #expect(Self.local("2027-07-01T09:00").resolved(in: Self.newYork).instant == Self.instant("2027-07-01T13:00:00Z"))
        #expect(ScheduleRules.PublishTime("2027-01-01T09:00:00") == .local(Self.local("2027-01-01T09:00:00")))
        #expect(ScheduleRules.PublishTime("2027-01-01T09:00:00+01:00") == .instant(Self.instant("2027-01-01T08:00:00Z")))
        #expect(ScheduleRules.PublishTime("2027-01-01T09:00:00Z") == .instant(Self.instant("2027-01-01T09:00:00Z")))
        for bad in ["tomorrow", "2027-13-01T09:00:00", "2027-01-01T25:00:00", "2027-01-01T09:00:00-0"] {
            #expect(ScheduleRules.PublishTime(bad) == nil, "\(bad)")
        }
    }

    @Test func aSkippedLocalTimeIsShiftedForwardByTheGap() throws {
        let paris = Self.local("2027-03-28T02:30:00").resolved(in: Self.paris)
        #expect(paris.instant == Self.instant("2027-03-28T01:30:00Z"))
        #expect(paris.local == Self.local("2027-03-28T03:30:00"))
        #expect(paris.adjustment == .skipped(gapMilliseconds: 3_600_000))
        #expect(try #require(paris.note).contains("shifted forward by the gap to 2027-03-28T03:30:00"))
        let newYork = Self.local("2027-03-14T02:30:00").resolved(in: Self.newYork)
        #expect(newYork.instant == Self.instant("2027-03-14T07:30:00Z"))
        #expect(newYork.local == Self.local("2027-03-14T03:30:00"))
        // Either side of the gap, nothing is adjusted.
        #expect(Self.local("2027-03-28T01:59:00").resolved(in: Self.paris).adjustment == nil)
        #expect(Self.local("2027-03-28T03:00:00").resolved(in: Self.paris).instant == Self.instant("2027-03-28T01:00:00Z"))
    }

    @Test func aRepeatedLocalTimeIsItsFirstOccurrence() throws {
        let paris = Self.local("2027-10-31T02:30:00").resolved(in: Self.paris)
        #expect(paris.instant == Self.instant("2027-10-31T00:30:00Z"))
        #expect(paris.adjustment == .repeated(later: Self.instant("2027-10-31T01:30:00Z")))
        #expect(try #require(paris.note).contains("the first occurrence"))
        let newYork = Self.local("2027-11-07T01:30:00").resolved(in: Self.newYork)
        #expect(newYork.instant == Self.instant("2027-11-07T05:30:00Z"))
        #expect(newYork.adjustment == .repeated(later: Self.instant("2027-11-07T06:30:00Z")))
    }

    static let author = Actor(userId: "usr_1", workspaceId: "wsp_1", role: .editor)
    static let content: ContentState = {
        var state = ContentState(ContentCreated(contentId: "cnt_1", workspaceId: "wsp_1", authorId: "usr_1", title: "T",
                                                body: "B", contentType: .blogPost), at: instant("2027-01-01T00:00:00Z"))
        state.status = .draft
        return state
    }()

    static func schedule(_ time: String, _ zone: String, recurrence: Recurrence? = nil, now: String = "2027-01-01T00:00:00Z")
        throws -> ScheduleState {
        ScheduleState(try ScheduleRules.schedule(
            .init(scheduleId: "sch_1", contentId: "cnt_1", time: ScheduleRules.PublishTime(time)!, timezone: zone,
                  channels: ["chn_web"], recurrence: recurrence),
            content: content, connectedChannels: ["chn_web"], now: instant(now), by: author))
    }

    /// Fires each occurrence at its publish time, `count` times; the UTC instants fired.
    static func fireOccurrences(of schedule: inout ScheduleState, _ count: Int) -> [(Instant, LocalDateTime)] {
        var fired: [(Instant, LocalDateTime)] = []
        for _ in 0..<count {
            guard let events = ScheduleRules.fire(schedule, now: schedule.publishTime, grace: .seconds(60)) else { break }
            fired.append((schedule.publishTime, schedule.localPublishTime))
            for event in events { schedule.apply(event) }
        }
        return fired
    }

    @Test func theAnswerSaysWhichRuleResolvedTheLocalTime() throws {
        let skipped = try Self.schedule("2027-03-28T02:30:00", "Europe/Paris")
        #expect(skipped.publishTime == Self.instant("2027-03-28T01:30:00Z"))
        #expect(skipped.localPublishTime == Self.local("2027-03-28T03:30:00"))
        #expect(skipped.requestedLocalTime == Self.local("2027-03-28T02:30:00"))
        #expect(skipped.localTimeAdjustment == "skipped")
        let repeated = try Self.schedule("2027-10-31T02:30:00", "Europe/Paris")
        #expect(repeated.localTimeAdjustment == "repeated")
        #expect(repeated.publishTime == Self.instant("2027-10-31T00:30:00Z"))
        let plain = try Self.schedule("2027-10-31T02:30:00+01:00", "Europe/Paris")
        #expect(plain.localTimeAdjustment == nil && plain.localTimeNote == nil)
        #expect(plain.localPublishTime == Self.local("2027-10-31T02:30:00"))
    }

    @Test func aDailyScheduleStaysAtItsLocalTimeAcrossBothChangesOfAYear() throws {
        var spring = try Self.schedule("2027-03-26T09:00:00", "Europe/Paris", recurrence: Recurrence(frequency: .daily))
        let springFirings = Self.fireOccurrences(of: &spring, 4)
        #expect(springFirings.map(\.0) == ["2027-03-26T08:00:00Z", "2027-03-27T08:00:00Z", "2027-03-28T07:00:00Z",
                                           "2027-03-29T07:00:00Z"].map(Self.instant))
        #expect(springFirings.allSatisfy { $0.1.description.hasSuffix("T09:00:00") })
        #expect(spring.status == .scheduled && spring.firedCount == 4)

        var autumn = try Self.schedule("2027-10-30T09:00:00", "Europe/Paris", recurrence: Recurrence(frequency: .daily))
        #expect(Self.fireOccurrences(of: &autumn, 3).map(\.0)
                == ["2027-10-30T07:00:00Z", "2027-10-31T08:00:00Z", "2027-11-01T08:00:00Z"].map(Self.instant))
    }

    @Test func aDailyScheduleAtASkippedTimeShiftsOnlyThatDay() throws {
        var schedule = try Self.schedule("2027-03-27T02:30:00", "Europe/Paris", recurrence: Recurrence(frequency: .daily))
        let firings = Self.fireOccurrences(of: &schedule, 3)
        #expect(firings.map(\.0) == ["2027-03-27T01:30:00Z", "2027-03-28T01:30:00Z", "2027-03-29T00:30:00Z"].map(Self.instant))
        #expect(firings.map(\.1.description) == ["2027-03-27T02:30:00", "2027-03-28T03:30:00", "2027-03-29T02:30:00"])
    }

    @Test func weeklyAndEveryNDaysUntilADate() throws {
        var weekly = try Self.schedule("2027-01-04T10:00:00", "America/New_York",
                                       recurrence: Recurrence(frequency: .weekly, until: "2027-01-18"))
        let fired = Self.fireOccurrences(of: &weekly, 10)
        #expect(fired.map(\.1.description) == ["2027-01-04T10:00:00", "2027-01-11T10:00:00", "2027-01-18T10:00:00"])
        #expect(weekly.status == .published)
        var everyThree = try Self.schedule("2027-03-10T08:00:00", "America/New_York",
                                           recurrence: Recurrence(frequency: .daily, interval: 3))
        #expect(Self.fireOccurrences(of: &everyThree, 3).map(\.0)
                == ["2027-03-10T13:00:00Z", "2027-03-13T13:00:00Z", "2027-03-16T12:00:00Z"].map(Self.instant))
        #expect(throws: DomainError.self) {
            try Self.schedule("2027-03-10T08:00:00", "UTC", recurrence: Recurrence(frequency: .daily, interval: 0))
        }
        #expect(throws: DomainError.self) {
            try Self.schedule("2027-03-10T08:00:00", "UTC", recurrence: Recurrence(frequency: .daily, until: "soon"))
        }
    }

    @Test func anOccurrenceOverdueBeyondTheGraceIsMissedWithAReason() throws {
        let schedule = try Self.schedule("2027-01-02T09:00:00", "UTC")
        let late = Self.instant("2027-01-03T09:00:01Z")
        let missed = try #require(ScheduleRules.fire(schedule, now: late, grace: .seconds(86_400)))
        guard case .scheduleMissed(let event) = try #require(missed.first) else { Issue.record("not missed"); return }
        #expect(event.reason.contains("beyond the grace period of 1d"))
        let onTime = try #require(ScheduleRules.fire(schedule, now: Self.instant("2027-01-03T09:00:00Z"), grace: .seconds(86_400)))
        #expect(onTime.map(\.type) == ["ScheduleFired", "DistributionRequested"])
        #expect(ScheduleRules.fire(schedule, now: Self.instant("2027-01-02T08:59:59Z"), grace: .seconds(86_400)) == nil)
    }

    @Test func graceDurationsReadTheirUnit() {
        #expect(ScheduleGrace.parse("90m") == .seconds(5400))
        #expect(ScheduleGrace.parse("24h") == .seconds(86_400))
        #expect(ScheduleGrace.parse("2d") == .seconds(172_800))
        #expect(ScheduleGrace.parse("45s") == .seconds(45))
        #expect(ScheduleGrace.parse("0") == .zero)
        for bad in ["", "h", "24", "1w", "-5m", "1.5h"] { #expect(ScheduleGrace.parse(bad) == nil, "\(bad)") }
        #expect(ScheduleGrace.describe(milliseconds: 90_000_000) == "1d1h")
    }
}
