import EventLog
public import SmartContentDomain
import SmartContentProjections

extension SmartContentEngine {
    /// What the scheduler did with one due occurrence.
    public enum Firing: Hashable, Sendable {
        /// Fired: its ``ScheduleFired`` and ``DistributionRequested`` are on the log.
        case fired(ScheduleID, occurrence: Instant, jobId: JobID)
        /// Recorded as ``ScheduleMissed``: overdue beyond the grace period.
        case missed(ScheduleID, occurrence: Instant)
    }

    /// Fires every occurrence due at `now` (the engine's clock by default), oldest first:
    /// those overdue by more than `grace` are recorded as missed instead.
    ///
    /// Safe to run from any number of schedulers on one store at once: each firing is
    /// decided on the schedule's stream and appended with its version as expected version,
    /// so a competitor that got there first makes this one decide again on the new state
    /// (and find nothing to do). The due list comes from the schedules projection; the
    /// decision never does.
    ///
    /// - Returns: what this call fired or missed, in order (not what a competitor did).
    public func fireDueSchedules(
        now: Instant? = nil, grace: Duration = ScheduleGrace.default, limit: Int = 1000
    ) async throws -> [Firing] {
        let time = now ?? self.now
        var done: [Firing] = []
        // Rounds until none is due: a recurring schedule's next occurrence can be overdue too.
        while done.count < limit {
            let batch = min(100, limit - done.count)
            let due = try await read(ScheduleProjection.self, atLeast: log.head.head) { try $0.due(at: time, limit: batch) }
            // Concurrently, so that their durable appends share commits; results in due order.
            let fired = try await withThrowingTaskGroup(of: (Int, Firing?).self) { group in
                for (index, schedule) in due.enumerated() {
                    group.addTask {
                        (index, try await self.fire(schedule.scheduleId, occurrence: schedule.publishTime, now: time, grace: grace))
                    }
                }
                var fired = [Firing?](repeating: nil, count: due.count)
                for try await (index, firing) in group { fired[index] = firing }
                return fired.compactMap { $0 }
            }
            if fired.isEmpty { break }
            done += fired
        }
        return done
    }

    /// Fires the occurrence of `id` at `occurrence` if the schedule's stream says it is
    /// still pending there; nil when it is not (fired or missed by another scheduler,
    /// moved, cancelled, or its content deleted).
    func fire(_ id: ScheduleID, occurrence: Instant, now: Instant, grace: Duration) async throws -> Firing? {
        let stream = Streams.schedule(id)
        for attempt in 0..<16 {
            let loaded = try await load(stream)
            guard let state = Self.scheduleState(loaded), state.publishTime == occurrence else { return nil }
            // Deleting content cancels its schedules in the projection, not on their streams.
            if Self.contentState(try await load(Streams.content(state.contentId)))?.status ?? .deleted == .deleted { return nil }
            guard let events = ScheduleRules.fire(state, now: now, grace: grace) else { return nil }
            do {
                try await append(events, by: "system", workspace: state.workspaceId, expected: [stream: loaded.expected])
            } catch {
                guard case .wrongExpectedVersion = error as? EventLogError else { throw error }
                try await Task.sleep(for: .microseconds(Int.random(in: 0...(200 << min(attempt, 5)))))
                continue
            }
            switch events.first {
            case .scheduleFired(let fired)?: return .fired(id, occurrence: occurrence, jobId: fired.jobId)
            default: return .missed(id, occurrence: occurrence)
            }
        }
        throw DomainError(.versionConflict, "schedule \(id) kept changing under concurrent writes")
    }

    /// The earliest publish time still pending, if any: when the scheduler next has work.
    public func nextDueTime() async throws -> Instant? {
        try await read(ScheduleProjection.self) { try $0.nextDue() }
    }
}
