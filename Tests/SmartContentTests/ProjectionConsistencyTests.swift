import EventLog
import Foundation
@testable import SmartContent
import SmartContentDomain
@testable import SmartContentProjections
import SmartContentTesting
import Synchronization
import Testing

@Suite(.serialized) struct ProjectionConsistencyTests {
    static let eventCount = 100_000

    /// Appends the workload while the projections follow live, in small batches.
    static func populate(_ engine: SmartContentEngine, count: Int = eventCount) async throws -> UInt64 {
        var workload = Workload(seed: 42)
        var pending = workload.setUp()
        var last: UInt64 = 0
        var total = pending.count
        while total < count {
            pending.append(workload.next())
            total += 1
            if pending.count == 1000 {
                last = try await engine.record(pending, by: "usr_0_0")
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { last = try await engine.record(pending, by: "usr_0_0") }
        return last
    }

    @Test func everyProjectionAgreesWithABruteForceRecomputationAndItsRebuild() async throws {
        let test = try TestEngine()
        defer { Task { await test.close() } }
        let engine = test.engine
        let last = try await Self.populate(engine)
        try await engine.projections.waitUntil(position: last, timeout: .seconds(300))
        #expect(engine.projections.status().allSatisfy { $0.state == .live && $0.lag == 0 })

        // Brute force, from the raw log.
        var workspaceOf: [ContentID: WorkspaceID] = [:]
        var daily: [String: EngagementCounters] = [:]
        var totals: [ContentID: EngagementCounters] = [:]
        var workspaceDaily: [String: EngagementCounters] = [:]
        var hours: [String: EngagementCounters] = [:]
        // Workspace → day → content, and workspace → day → hour of the day.
        var dayContent: [WorkspaceID: [Int64: [String: EngagementCounters]]] = [:]
        var dayHours: [WorkspaceID: [Int64: [Int: EngagementCounters]]] = [:]
        var interactions: [String: [ContentID: EngagementCounters]] = [:]
        var versions: [ContentID: Int] = [:]
        var statuses: [ContentID: ContentStatus] = [:]
        var failedLogins: [UserID: Int] = [:]
        var events = 0
        var audited: [String: Int] = [:]
        try engine.log.withSnapshot { snapshot in
            try snapshot.forEach(from: 1) { view in
                let event = try EventCatalog.decode(view)
                events += 1
                if case .engagementRecorded = event {} else { audited[event.stream, default: 0] += 1 }
                switch event {
                case .contentCreated(let e):
                    workspaceOf[e.contentId] = e.workspaceId
                    versions[e.contentId] = 1
                    statuses[e.contentId] = .draft
                case .contentUpdated(let e): if versions[e.contentId] != nil, statuses[e.contentId] != .deleted { versions[e.contentId] = e.version }
                case .contentRefined(let e): if versions[e.contentId] != nil, statuses[e.contentId] != .deleted { versions[e.contentId] = e.version }
                case .contentDeleted(let e): if statuses[e.contentId] != nil { statuses[e.contentId] = .deleted }
                case .loginFailed(let e): failedLogins[e.userId] = e.failedAttempts
                case .subjectErased(let e): interactions[e.subjectId] = nil
                case .engagementRecorded(let e):
                    let milli = EngagementCounters.milli(of: e)
                    daily["\(e.contentId)|\(e.occurredAt.utcDay)", default: EngagementCounters()].add(e.kind, milli: milli)
                    totals[e.contentId, default: EngagementCounters()].add(e.kind, milli: milli)
                    if let workspace = workspaceOf[e.contentId] {
                        workspaceDaily["\(workspace)|\(e.occurredAt.utcDay)", default: EngagementCounters()].add(e.kind, milli: milli)
                        hours["\(workspace)|\(AnalyticsProjection.hourOfWeek(e.occurredAt))", default: EngagementCounters()]
                            .add(e.kind, milli: milli)
                        dayContent[workspace, default: [:]][e.occurredAt.utcDay, default: [:]][e.contentId.rawValue, default: EngagementCounters()]
                            .add(e.kind, milli: milli)
                        let hour = Int((e.occurredAt.millisecondsSince1970 % 86_400_000 + 86_400_000) % 86_400_000 / 3_600_000)
                        dayHours[workspace, default: [:]][e.occurredAt.utcDay, default: [:]][hour, default: EngagementCounters()]
                            .add(e.kind, milli: milli)
                    }
                    if let reader = e.userId {
                        interactions[reader.rawValue, default: [:]][e.contentId, default: EngagementCounters()].add(e.kind, milli: milli)
                    }
                default: break
                }
                return true
            }
        }
        #expect(events >= Self.eventCount)

        let analytics = try engine.projections.store(named: AnalyticsProjection.name)
        try analytics.read { reader throws in
            let queries = AnalyticsProjection.Queries(reader)
            for (content, expected) in totals { #expect(try queries.allTime(content) == expected, "\(content)") }
            #expect(try reader.count("daily") == daily.count)
            #expect(try reader.count("workspace-daily") == workspaceDaily.count)
            #expect(try reader.count("hour-of-week") == hours.count)
            for (key, expected) in daily {
                let parts = key.split(separator: "|")
                var orderedKey = OrderedKey(String(parts[0]))
                orderedKey.append(Int64(parts[1])!)
                #expect(try reader.value("daily", orderedKey, as: EngagementCounters.self) == expected, "\(key)")
            }
            for (key, expected) in workspaceDaily {
                let parts = key.split(separator: "|")
                let day = Int64(parts[1])!
                let series = try queries.dashboard(WorkspaceID(rawValue: String(parts[0]))!, fromDay: day, toDay: day)
                #expect(series.totals == EngagementTotals(expected), "\(key)")
            }
            #expect(try reader.count("workspace-day-content") == dayContent.values.map { $0.values.map(\.count).reduce(0, +) }.reduce(0, +))
            #expect(try reader.count("workspace-hourly") == dayHours.values.map { $0.values.map(\.count).reduce(0, +) }.reduce(0, +))
            // Ranged leaders and posting times: a day, a week, a middle stretch, and every day.
            for (workspace, days) in dayContent {
                let sorted = days.keys.sorted()
                let first = sorted.first!, last = sorted.last!
                for (from, to) in [(first, first), (first + 2, first + 8), ((first + last) / 2, last - 1), (first - 1, last + 1)] {
                    var sums: [String: EngagementCounters] = [:]
                    var byHour: [Int: EngagementCounters] = [:]
                    for day in from...max(from, to) {
                        for (content, counters) in days[day] ?? [:] { sums[content, default: EngagementCounters()].add(counters) }
                        for (hour, counters) in dayHours[workspace]?[day] ?? [:] {
                            byHour[AnalyticsProjection.hourOfWeek(day: day, hour: hour), default: EngagementCounters()].add(counters)
                        }
                    }
                    let top = sums.map { (id: $0.key, counters: $0.value) }
                        .sorted(by: AnalyticsProjection.Queries.ranks).prefix(10)
                    let dashboard = try queries.dashboard(workspace, fromDay: from, toDay: to)
                    #expect(dashboard.topContent.map(\.contentId.rawValue) == top.map(\.id), "\(workspace) \(from)…\(to)")
                    #expect(dashboard.topContent.map(\.totals) == top.map { EngagementTotals($0.counters) }, "\(workspace) \(from)…\(to)")
                    let best = byHour.sorted {
                        $0.value.interactions != $1.value.interactions ? $0.value.interactions > $1.value.interactions : $0.key < $1.key
                    }.prefix(5)
                    let times = try queries.bestPostingTimes(workspace, fromDay: from, toDay: to)
                    #expect(times.map { $0.dayOfWeek * 24 + $0.hour } == best.map(\.key), "\(workspace) \(from)…\(to)")
                    #expect(times.map(\.totals) == best.map { EngagementTotals($0.value) }, "\(workspace) \(from)…\(to)")
                }
            }
        }
        let content = try engine.projections.store(named: ContentProjection.name)
        try content.read { reader throws in
            let queries = ContentProjection.Queries(reader)
            for (id, version) in versions {
                let state = try #require(try queries.state(id))
                #expect(state.version == version, "\(id)")
                #expect((state.status == .deleted) == (statuses[id] == .deleted), "\(id)")
                #expect(try queries.versions(id).count == version, "\(id)")
            }
        }
        let recommendations = try engine.projections.store(named: RecommendationProjection.name)
        try recommendations.read { reader throws in
            let queries = RecommendationProjection.Queries(reader)
            for n in stride(from: 0, to: 2000, by: 7) {
                let readerID = "reader-\(n)"
                let stored = Dictionary(uniqueKeysWithValues: try queries.interactions(of: readerID))
                #expect(stored == (interactions[readerID] ?? [:]), "\(readerID)")
            }
        }
        let users = try engine.projections.store(named: UserProjection.name)
        try users.read { reader throws in
            let queries = UserProjection.Queries(reader)
            for (user, failures) in failedLogins { #expect(try queries.user(user)?.failedLogins == failures) }
        }
        let audit = try engine.projections.store(named: AuditProjection.name)
        try audit.read { reader throws in
            #expect(try reader.count("by-entity") == audited.values.reduce(0, +))
            let queries = AuditProjection.Queries(reader)
            for stream in audited.keys.sorted().prefix(50) {
                #expect(try queries.byEntity(stream, limit: 100_000).count == audited[stream], "\(stream)")
            }
        }

        // A rebuild from position 0 into fresh storage, in big batches, equals the live
        // projections folded in small ones.
        let rebuilt = try await engine.rebuild(into: test.directory + "/rebuilt")
        for name in engine.projections.names {
            let live = try engine.projections.store(named: name).canonicalDump()
            let fresh = try rebuilt.store(named: name).canonicalDump()
            #expect(live == fresh, "projection \(name) differs after a rebuild")
            #expect(live.count > 100, "projection \(name) is empty")
        }
    }

    @Test func restartingResumesFromTheCheckpointWithoutCountingTwice() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let engine = test.engine
        let last = try await Self.populate(engine, count: 20_000)
        let directory = test.directory + "/resumed"
        let types = SmartContentEngine.projectionTypes
        do {
            let first = try ProjectionRunner(log: engine.log, projections: types.map { $0.init() }, directory: directory, batchSize: 333,
                                          reading: engine.vault.open)
            try first.catchUp(until: last / 2)
            #expect(first.status().allSatisfy { $0.checkpoint == last / 2 })
        }
        // A new runner over the same stores, as after a restart.
        let second = try ProjectionRunner(log: engine.log, projections: types.map { $0.init() }, directory: directory, batchSize: 1000,
                                     reading: engine.vault.open)
        #expect(second.status().allSatisfy { $0.checkpoint == last / 2 })
        try second.catchUp()
        let reference = try await engine.rebuild(into: test.directory + "/reference")
        for name in second.names {
            #expect(try second.store(named: name).canonicalDump() == reference.store(named: name).canonicalDump(), "\(name)")
        }
    }

    /// A store whose rows are of another layout (one written by an older build) is emptied
    /// and folded again when opened, not read as garbage; the others resume.
    @Test func aStoreOfAnotherFormatVersionIsFoldedAgainOnOpen() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let engine = test.engine
        let last = try await Self.populate(engine, count: 5_000)
        let directory = test.directory + "/versioned"
        let types = SmartContentEngine.projectionTypes
        do {
            let first = try ProjectionRunner(log: engine.log, projections: types.map { $0.init() }, directory: directory,
                                             reading: engine.vault.open)
            try first.catchUp(until: last / 2)
            #expect(try first.store(named: AnalyticsProjection.name).formatVersion() == AnalyticsProjection.formatVersion)
            try first.store(named: AnalyticsProjection.name).setFormatVersion(AnalyticsProjection.formatVersion - 1)
            await first.close()
        }
        let second = try ProjectionRunner(log: engine.log, projections: types.map { $0.init() }, directory: directory,
                                          reading: engine.vault.open)
        #expect(second.resetOnOpen == [AnalyticsProjection.name])
        #expect(second.status().first { $0.name == AnalyticsProjection.name }?.checkpoint == 0)
        #expect(second.status().filter { $0.name != AnalyticsProjection.name }.allSatisfy { $0.checkpoint == last / 2 })
        try second.catchUp()
        let reference = try await engine.rebuild(into: test.directory + "/reference")
        #expect(try second.store(named: AnalyticsProjection.name).canonicalDump()
                == reference.store(named: AnalyticsProjection.name).canonicalDump())
        await second.close()
    }

    /// The bulk writes at the end of a batch (sums in memory, rows in key order, appends)
    /// must give the tables an event-by-event fold gives.
    @Test func foldingEventByEventEqualsFoldingEverythingInOneBatch() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let engine = test.engine
        _ = try await Self.populate(engine, count: 2_000)
        let single = try ProjectionRunner(log: engine.log, projections: SmartContentEngine.projectionTypes.map { $0.init() },
                                          directory: test.directory + "/single", batchSize: 1, reading: engine.vault.open)
        try single.catchUp()
        let whole = try await engine.rebuild(into: test.directory + "/whole")
        for name in single.names {
            let dump = try single.store(named: name).canonicalDump()
            #expect(dump == (try whole.store(named: name).canonicalDump()), "\(name)")
        }
        await single.close()
        await whole.close()
    }

    /// A batch large enough to be decoded in parallel ranges, with an event outside the
    /// catalog in one of them (a gap the ranges close), folds as small batches do.
    @Test func aBatchDecodedInRangesAroundAnUnknownEventFoldsAsSmallBatchesDo() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let engine = test.engine
        var workload = Workload(seed: 9)
        var events = workload.setUp()
        while events.count < 6_000 { events.append(workload.next()) }
        _ = try await engine.record(events, by: "usr_0_0")
        try await engine.log.append([NewEvent(type: "LegacyThing", payload: Array("{}".utf8))], to: "legacy-1")
        events = (0..<6_000).map { _ in workload.next() }
        let last = try await engine.record(events, by: "usr_0_0")
        #expect(last > 12_000)

        let types = SmartContentEngine.projectionTypes
        let small = try ProjectionRunner(log: engine.log, projections: types.map { $0.init() }, directory: test.directory + "/small",
                                         batchSize: 1_000, reading: engine.vault.open)
        try small.catchUp()
        let whole = try ProjectionRunner(log: engine.log, projections: types.map { $0.init() }, directory: test.directory + "/whole",
                                         reading: engine.vault.open)
        #expect(try whole.step())
        #expect(whole.status().allSatisfy { $0.checkpoint == last }, "one batch folds everything")
        #expect(whole.unknownEventReport.count == 1)
        for name in small.names {
            #expect(try small.store(named: name).canonicalDump() == whole.store(named: name).canonicalDump(), "\(name)")
        }
        await small.close()
        await whole.close()
    }

    @Test func aReaderErasedMidBatchIsForgottenAndCountsAfreshAfterwards() async throws {
        // One batch: the sums kept in memory for the batch must forget the erased reader too.
        // Pseudonyms (`rdr_…`) are stored as given, so the fold sees these very ids.
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let start = Instant(iso8601: "2026-01-01T00:00:00Z")!
        func view(_ reader: String, _ content: String) -> DomainEvent {
            EngagementRecorded(contentId: ContentID(rawValue: content)!, kind: .view, userId: ReaderID(rawValue: reader),
                               occurredAt: start).event
        }
        func erase(_ reader: String) -> DomainEvent { SubjectErased(subjectId: reader, erasedBy: "usr_1").event }
        try await test.engine.record([
            view("rdr_reader1", "cnt_a"), view("rdr_reader1", "cnt_b"), view("rdr_reader2", "cnt_a"),
            erase("rdr_reader1"), view("rdr_reader1", "cnt_a"), erase("rdr_reader2"), erase("rdr_reader2"), view("rdr_reader1", "cnt_c"),
        ], by: "usr_1")
        try test.engine.projections.catchUp()
        let (reader1, reader2, readersOfA, readersOfB) = try await test.engine.read(RecommendationProjection.self) {
            (try $0.interactions(of: "rdr_reader1"), try $0.interactions(of: "rdr_reader2"), try $0.readers(of: "cnt_a"),
             try $0.readers(of: "cnt_b"))
        }
        #expect(reader1.map(\.0) == ["cnt_a", "cnt_c"])
        #expect(reader1.map(\.1.views) == [1000, 1000])
        #expect(reader2.isEmpty)
        #expect(readersOfA == ["rdr_reader1"])
        #expect(readersOfB.isEmpty)
    }

    @Test func eventsOutsideTheCatalogAreCountedNotFolded() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        try await test.engine.log.append([NewEvent(type: "LegacyThing", payload: Array("{}".utf8))], to: "legacy-1")
        let last = try await test.engine.record([SubjectErased(subjectId: "reader-1", erasedBy: "usr_1").event])
        try test.engine.projections.catchUp()
        let report = test.engine.projections.unknownEventReport
        #expect(report.count == 1)
        #expect(report.lastType == "LegacyThing")
        #expect(test.engine.projections.status().allSatisfy { $0.checkpoint == last })
    }

    @Test func projectionsAheadOfTheLogAreFoldedAgain() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let last = try await Self.populate(test.engine, count: 2_000)
        try test.engine.projections.catchUp()
        let projections = test.directory + "/projections"
        // A log that lost its last events (a machine crash in nosync mode), beside
        // projections that had folded them.
        let shorter = test.directory + "/shorter"
        var configuration = SmartContentEngine.Configuration()
        configuration.runsProjections = false
        configuration.durability = .noSync
        let copy = try SmartContentEngine(directory: shorter, configuration: configuration)
        let kept = try await test.engine.events(after: 0, limit: Int(last / 2))
        try await copy.record(kept.map(\.event), by: "usr_0_0")
        await copy.close()
        try FileManager.default.removeItem(atPath: shorter + "/projections")
        try FileManager.default.copyItem(atPath: projections, toPath: shorter + "/projections")

        let reopened = try SmartContentEngine(directory: shorter, configuration: configuration)
        #expect(Set(reopened.projections.resetOnOpen) == Set(reopened.projections.names))
        try reopened.projections.catchUp()
        let reference = try await reopened.rebuild(into: test.directory + "/shorter-reference")
        for name in reopened.projections.names {
            #expect(try reopened.projections.store(named: name).canonicalDump() == reference.store(named: name).canonicalDump(), "\(name)")
        }
        await reopened.close()
    }

    /// Engagement is most of a log: a projection that says it ignores engagement is handed
    /// only the other events, in order, in small batches and in large ones decoded in
    /// ranges, and its checkpoint still moves past batches of engagement alone.
    @Test func aProjectionIgnoringEngagementIsHandedOnlyTheOtherEvents() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let engine = test.engine
        _ = try await Self.populate(engine, count: 10_000)
        let views = (0..<50).map { _ in EngagementRecorded(contentId: "cnt_1", kind: .view, occurredAt: Instant(millisecondsSince1970: 0)).event }
        let last = try await engine.record(views, by: "usr_0_0")
        var everything: [UInt64] = [], actions: [UInt64] = []
        try engine.log.withSnapshot { snapshot in
            try snapshot.forEach(from: 1) { view in
                everything.append(view.position)
                if view.type != EngagementRecorded.eventType { actions.append(view.position) }
                return true
            }
        }
        #expect(actions.count > 500 && actions.count < everything.count / 2)
        for batchSize in [7, 1000, 1 << 20] {
            let runner = try ProjectionRunner(log: engine.log, projections: [SeenProjection(), SeenActionsProjection()],
                                              directory: test.directory + "/seen-\(batchSize)", batchSize: batchSize)
            try runner.catchUp()
            #expect(runner.status().allSatisfy { $0.checkpoint == last }, "batches of \(batchSize)")
            #expect(try SeenProjection.positions(in: runner.store(named: SeenProjection.name)) == everything)
            #expect(try SeenProjection.positions(in: runner.store(named: SeenActionsProjection.name)) == actions)
            await runner.close()
        }
        // No projection wants the actions apart: none are kept (the benchmark of analytics
        // alone once wrote them past an empty buffer).
        let alone = try ProjectionRunner(log: engine.log, projections: [SeenProjection()], directory: test.directory + "/seen-alone")
        try alone.catchUp()
        #expect(try SeenProjection.positions(in: alone.store(named: SeenProjection.name)) == everything)
        await alone.close()
    }

    /// The longest folds of a batch start first, so that no long one is left to run alone
    /// at the end: by each projection's `foldCost` until all have folded, then by the time
    /// each took.
    @Test func theLongestFoldsStartFirst() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let runner = try ProjectionRunner(log: test.engine.log, projections: SmartContentEngine.projectionTypes.map { $0.init() },
                                          directory: test.directory + "/order")
        #expect(ProjectionRunner.longestFirst(runner.slots).map(\.name)
            == ["analytics", "recommendations", "content", "audit", "schedules", "audiences", "users", "distribution", "webhooks"])
        _ = try await Self.populate(test.engine, count: 2_000)
        try runner.catchUp()
        #expect(runner.slots.allSatisfy { $0.measuredCost.load(ordering: .relaxed) > 0 })
        // Measured costs, once every projection has one, take over from foldCost.
        let measured = ["users": 9, "audit": 8, "distribution": 7, "analytics": 6, "content": 5, "schedules": 4,
                        "recommendations": 3, "audiences": 2, "webhooks": 1]
        for slot in runner.slots { slot.measuredCost.store(UInt64(measured[slot.name]!), ordering: .relaxed) }
        #expect(ProjectionRunner.longestFirst(runner.slots).map(\.name)
            == ["users", "audit", "distribution", "analytics", "content", "schedules", "recommendations", "audiences", "webhooks"])
        // A projection not measured yet sends every one back to foldCost: the scales differ.
        runner.slots.first { $0.name == "users" }!.measuredCost.store(0, ordering: .relaxed)
        #expect(ProjectionRunner.longestFirst(runner.slots).first?.name == "analytics")
        await runner.close()
    }

    @Test func aFailingProjectionIsStoppedAndReportedWhileTheOthersGoOn() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let engine = test.engine
        let last = try await Self.populate(engine, count: 3_000)
        let runner = try ProjectionRunner(log: engine.log, projections: [ContentProjection(), FailingProjection()],
                                          directory: test.directory + "/failing", batchSize: 500)
        try runner.catchUp()
        let status = Dictionary(uniqueKeysWithValues: runner.status().map { ($0.name, $0) })
        #expect(status["content"]?.checkpoint == last)
        #expect(status["content"]?.state == .live)
        #expect(status["failing"]?.state == .failed)
        #expect(status["failing"]?.checkpoint == 1000, "it keeps the position of its last good batch")
        #expect(status["failing"]?.error?.contains("the 1500th event") == true)
        await #expect(throws: ProjectionRunner.Failure.self) {
            try await runner.waitUntil(position: last, projection: "failing", timeout: .milliseconds(100))
        }
    }
}

/// Throws in the batch holding the 1500th event.
struct FailingProjection: Projection {
    static let name = "failing"
    static let tables = ["nothing"]

    struct Failure: Error, CustomStringConvertible {
        var description: String { "cannot fold the 1500th event" }
    }

    func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        if events.contains(where: { $0.position == 1500 }) { throw Failure() }
        try store.put("nothing", OrderedKey("last"), events.last!.position)
    }
}

/// Stores the position of every event it is handed.
struct SeenProjection: Projection {
    static let name = "seen"
    static let tables = ["positions"]

    func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        var rows = RowBatch()
        for projected in events {
            var key = OrderedKey()
            key.append(projected.position)
            rows.append(key)
        }
        try store.putAll("positions", rows)
    }

    static func positions(in store: ProjectionStore) throws -> [UInt64] {
        try store.read { reader in
            var positions: [UInt64] = []
            try reader.scan("positions", prefix: OrderedKey()) { key, _ in
                var parts = OrderedKeyReader(key)
                positions.append(parts.uint64())
                return true
            }
            return positions
        }
    }
}

/// ``SeenProjection`` for a projection that ignores engagement.
struct SeenActionsProjection: Projection {
    static let name = "seen-actions"
    static let tables = ["positions"]
    static let foldsEngagement = false

    func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        try SeenProjection().apply(events, to: store)
    }
}

/// Schedules fold a batch in memory, keeping of each index key the last change: the cases
/// the random workload never makes, in one batch and event by event.
@Suite struct ScheduleFoldTests {
    @Test func updatesMovesCancellationsAndPublicationsInOneBatchFoldAsEventByEvent() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let engine = test.engine
        func at(_ day: Int, _ hour: Int = 9) -> Instant { Instant(millisecondsSince1970: Int64(day * 86_400_000 + hour * 3_600_000)) }
        func scheduled(_ id: ScheduleID, _ content: ContentID, _ time: Instant) -> DomainEvent {
            ContentScheduled(scheduleId: id, contentId: content, workspaceId: "wsp_1", publishTime: time, timezone: "UTC",
                             channels: ["chn_web"], scheduledBy: "usr_1").event
        }
        func updated(_ id: ScheduleID, _ time: Instant, _ timezone: String) -> DomainEvent {
            ScheduleUpdated(scheduleId: id, publishTime: time, timezone: timezone, channels: ["chn_web"], updatedBy: "usr_1").event
        }
        let last = try await engine.record([
            scheduled("sch_1", "cnt_1", at(20_000)),
            updated("sch_1", at(20_000), "Europe/Paris"),       // the same keys, deleted and put again
            scheduled("sch_2", "cnt_2", at(20_001)),
            updated("sch_2", at(20_003, 12), "UTC"),            // moved to another day
            scheduled("sch_3", "cnt_2", at(20_004)),
            ContentDeleted(contentId: "cnt_2", deletedBy: "usr_1").event,   // cancels both, created in this batch
            scheduled("sch_4", "cnt_3", at(20_005)),
            ContentPublished(contentId: "cnt_3", scheduleId: "sch_4", channelId: "chn_web", jobId: "job_1",
                             publishedAt: at(20_005)).event,
            ScheduleCancelled(scheduleId: "sch_9", cancelledBy: "usr_1").event,  // no such schedule
        ], by: "usr_1")
        let dumps = try await foldInBatches(of: [1, 3, 1 << 20], ScheduleProjection(), test, through: last) { reader, batchSize in
            let queries = ScheduleProjection.Queries(reader)
            #expect(try queries.due(at: at(30_000)).map(\.scheduleId) == ["sch_1"], "batches of \(batchSize)")
            #expect(try queries.schedule("sch_1")?.timezone == "Europe/Paris")
            #expect(try queries.schedule("sch_2")?.status == .cancelled)
            #expect(try queries.schedule("sch_2")?.publishTime == at(20_003, 12))
            #expect(try queries.schedule("sch_3")?.status == .cancelled)
            #expect(try queries.schedule("sch_4")?.status == .published)
            #expect(try queries.schedule("sch_9") == nil)
            let listed = try queries.list(in: "wsp_1", fromDay: 20_000, toDay: 20_010).items
            #expect(listed.map(\.scheduleId) == ["sch_1", "sch_2", "sch_3", "sch_4"])
            #expect(try reader.count("by-day") == 4, "sch_2's first day is gone")
        }
        #expect(Set(dumps).count == 1)
    }
}

@Suite struct AnalyticsFoldTests {
    /// A content engaged with before the log says whose it is counts in its own totals from
    /// the first event, in its workspace's rows only from its creation on, in one batch or many.
    @Test func engagementBeforeTheContentsCreationCountsForItsWorkspaceOnlyAfterIt() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let day = Instant(iso8601: "2026-03-02T10:00:00Z")!     // a Monday
        func engaged(_ content: ContentID, _ kind: EngagementKind, value: Double? = nil) -> DomainEvent {
            EngagementRecorded(contentId: content, kind: kind, userId: ReaderID(rawValue: "reader-1"), occurredAt: day,
                               value: value).event
        }
        let last = try await test.engine.record([
            ContentCreated(contentId: "cnt_early", workspaceId: "wsp_1", authorId: "usr_1", title: "E", body: "e",
                           contentType: .email).event,
            engaged("cnt_late", .view, value: 5),          // its workspace is not known yet
            engaged("cnt_quiet", .view),                   // nor this one's, engaged with only before it is created
            ContentCreated(contentId: "cnt_quiet", workspaceId: "wsp_1", authorId: "usr_1", title: "Q", body: "q",
                           contentType: .email).event,
            engaged("cnt_early", .share),
            ContentCreated(contentId: "cnt_late", workspaceId: "wsp_1", authorId: "usr_1", title: "L", body: "l",
                           contentType: .email).event,
            engaged("cnt_late", .click),
            engaged("cnt_late", .view, value: 2),
        ], by: "usr_1")
        let dumps = try await foldInBatches(of: [1, 2, 1 << 20], AnalyticsProjection(), test, through: last) { reader, batchSize in
            let queries = AnalyticsProjection.Queries(reader)
            let late = try queries.allTime("cnt_late")
            #expect((late.views, late.clicks) == (7_000, 1_000), "batches of \(batchSize)")
            let dashboard = try queries.dashboard("wsp_1", fromDay: day.utcDay, toDay: day.utcDay)
            #expect(dashboard.totals.views == 2 && dashboard.totals.clicks == 1 && dashboard.totals.shares == 1,
                    "batches of \(batchSize)")
            #expect(dashboard.topContent.map(\.contentId) == ["cnt_late", "cnt_early"], "batches of \(batchSize)")
            #expect(try queries.allTime("cnt_quiet").views == 1_000)
            #expect(dashboard.topContent.first.map { ($0.totals.views, $0.totals.clicks) } ?? (0, 0) == (2, 1))
            let monday10 = try queries.bestPostingTimes("wsp_1", limit: 1).first
            #expect(monday10?.hour == 10 && monday10?.dayOfWeek == 0)
            #expect(monday10?.totals.views == 2 && monday10?.totals.clicks == 1)
        }
        #expect(Set(dumps).count == 1)
    }

    /// A content created again in another workspace (an import can hold that) leaves what
    /// it counted in the first workspace's rows there, whether the fold takes the events
    /// one by one or all at once: a rebuild in one batch equals the live fold.
    @Test func aContentCreatedAgainElsewhereKeepsWhatItCountedWhereItWas() async throws {
        let test = try TestEngine(runsProjections: false)
        defer { Task { await test.close() } }
        let day = Instant(iso8601: "2026-03-02T10:00:00Z")!
        func created(in workspace: WorkspaceID) -> DomainEvent {
            ContentCreated(contentId: "cnt_m", workspaceId: workspace, authorId: "usr_1", title: "M", body: "m",
                           contentType: .email).event
        }
        func engaged(_ kind: EngagementKind) -> DomainEvent {
            EngagementRecorded(contentId: "cnt_m", kind: kind, occurredAt: day).event
        }
        let last = try await test.engine.record([
            created(in: "wsp_1"), engaged(.view), engaged(.view),
            created(in: "wsp_2"), engaged(.click),
            created(in: "wsp_1"), engaged(.share),
        ], by: "usr_1")
        let dumps = try await foldInBatches(of: [1, 3, 1 << 20], AnalyticsProjection(), test, through: last) { reader, batchSize in
            let queries = AnalyticsProjection.Queries(reader)
            let first = try queries.dashboard("wsp_1", fromDay: day.utcDay, toDay: day.utcDay).topContent.first?.totals
            #expect(first.map { ($0.views, $0.clicks, $0.shares) } ?? (0, 0, 0) == (2, 0, 1), "batches of \(batchSize)")
            let second = try queries.dashboard("wsp_2", fromDay: day.utcDay, toDay: day.utcDay).topContent.first?.totals
            #expect(second.map { ($0.views, $0.clicks, $0.shares) } ?? (0, 0, 0) == (0, 1, 0), "batches of \(batchSize)")
            #expect(try queries.workspace(of: "cnt_m") == "wsp_1")
        }
        #expect(Set(dumps).count == 1)
    }
}

/// Logs only an import can write (an id created twice, in another workspace; a version
/// given twice; a schedule id scheduled again; engagement with deleted content and by an
/// erased reader) fold to the same stores in batches of any size: a rebuild equals the
/// live fold even then.
@Test func oddLogsFoldAlikeInBatchesOfAnySize() async throws {
    let test = try TestEngine(runsProjections: false)
    defer { Task { await test.close() } }
    let day = Instant(iso8601: "2026-03-02T10:00:00Z")!
    func created(in workspace: WorkspaceID) -> DomainEvent {
        ContentCreated(contentId: "cnt_x", workspaceId: workspace, authorId: "usr_1", title: "X", body: "x",
                       contentType: .email, keywords: ["a"]).event
    }
    func updated(_ version: Int) -> DomainEvent {
        ContentUpdated(contentId: "cnt_x", version: version, title: "X\(version)", body: "x", contentType: .article,
                       tone: .casual, keywords: ["b"], changes: "c", editedBy: "usr_1").event
    }
    func scheduled(_ hour: Int) -> DomainEvent {
        ContentScheduled(scheduleId: "sch_x", contentId: "cnt_x", workspaceId: "wsp_1",
                         publishTime: day.adding(milliseconds: Int64(hour) * 3_600_000), timezone: "UTC",
                         channels: ["chn_web"], scheduledBy: "usr_1").event
    }
    func engaged(_ kind: EngagementKind, by reader: String? = "reader-1") -> DomainEvent {
        EngagementRecorded(contentId: "cnt_x", kind: kind, userId: reader.flatMap(ReaderID.init(rawValue:)), occurredAt: day).event
    }
    let last = try await test.engine.record([
        created(in: "wsp_1"), engaged(.view), updated(2), scheduled(30),
        created(in: "wsp_2"), engaged(.click), updated(2), scheduled(50),
        SubjectErased(subjectId: "reader-1", erasedBy: "usr_1").event, engaged(.view),
        ContentDeleted(contentId: "cnt_x", deletedBy: "usr_1").event, engaged(.share, by: nil),
    ], by: "usr_1")
    for type in SmartContentEngine.projectionTypes {
        let dumps = try await foldInBatches(of: [1, 2, 5, 1 << 20], type.init(), test, through: last) { reader, batchSize in
            guard type == ContentProjection.self else { return }
            // Listed once, as created the second time: the first creation's entries are gone.
            for list in ["by-workspace", "by-author", "by-status"] {
                let listed = try reader.count(list)
                #expect(listed == 1, "\(list), batches of \(batchSize)")
            }
        }
        #expect(Set(dumps).count == 1, "\(type.name) folds differently in batches of 1, 2, 5 and all")
    }
}

/// Folds the engine's log through `last` into fresh stores of `projection`, once per batch
/// size, runs `check` on each, and returns each store's canonical dump: a fold must not
/// depend on how the log is cut into batches.
func foldInBatches(
    of sizes: [Int], _ projection: some Projection, _ test: TestEngine, through last: UInt64,
    _ check: (ProjectionReader, Int) throws -> Void
) async throws -> [[UInt8]] {
    var dumps: [[UInt8]] = []
    for batchSize in sizes {
        let name = type(of: projection).name
        let runner = try ProjectionRunner(log: test.engine.log, projections: [projection],
                                          directory: test.directory + "/\(name)-\(batchSize)", batchSize: batchSize)
        try runner.catchUp()
        #expect(runner.status().first?.checkpoint == last, "batches of \(batchSize)")
        let store = try runner.store(named: name)
        try store.read { try check($0, batchSize) }
        dumps.append(try store.canonicalDump())
        await runner.close()
    }
    return dumps
}
