@testable import SmartContent
import SmartContentDomain
import SmartContentTesting
import Testing

@Suite struct DoorbellTests {
    /// The delivery loops wait on a doorbell between looks for work. A wait that a ring
    /// ended must not leave a ring behind, or every later wait returns at once and an idle
    /// server looks for work hundreds of times a second.
    @Test func aWaitEndedByARingLeavesNoRingBehind() async throws {
        let doorbell = Doorbell()
        let ringer = Task {
            try await Task.sleep(for: .milliseconds(20))
            doorbell.ring()
        }
        // A timeout no run reaches: under load a timer due while the ring is delivered
        // rings too, and that one extra look is allowed.
        await doorbell.wait(upTo: .seconds(3600))
        try await ringer.value
        // The first wait's timer is cancelled by now; give a stray ring time to arrive.
        try await Task.sleep(for: .milliseconds(50))
        let clock = ContinuousClock()
        let started = clock.now
        await doorbell.wait(upTo: .milliseconds(300))
        #expect(clock.now - started >= .milliseconds(250), "the second wait returned without a ring")
    }

    @Test func aRingBeforeTheWaitIsKept() async throws {
        let doorbell = Doorbell()
        doorbell.ring()
        let clock = ContinuousClock()
        let started = clock.now
        await doorbell.wait(upTo: .seconds(30))
        #expect(clock.now - started < .seconds(20))
    }
}

@Suite struct FoldDoorbellTests {
    @Test func itRingsOnceTheFoldPassesTheWork() async throws {
        let bell = FoldDoorbell()
        bell.folded(through: 100)
        #expect(await !rings(bell), "no work was recorded")
        bell.ring(whenFoldedPast: 10)
        bell.ring(whenFoldedPast: 7)  // an earlier position does not hold it back
        bell.folded(through: 9)
        #expect(await !rings(bell), "the fold has not reached the work")
        bell.folded(through: 10)
        #expect(await rings(bell))
        bell.folded(through: 11)
        #expect(await !rings(bell), "one ring for one piece of work")
    }

    /// Senders read their work from projections, so they are woken after folds; but an
    /// engine that only ingests engagement (no work queued) must leave them asleep.
    @Test func foldsThatQueueNoWorkLeaveTheSendersAsleep() async throws {
        let test = try TestEngine(systemClock: true)
        let actor = try await test.user("ann@example.com")
        let content = try await test.engine.createContent(.init(title: "Launch", body: "We launch today.", contentType: .article),
                                                          by: actor).value.contentId
        for round in 0..<20 {
            let written = try await test.engine.recordEngagement(
                (0..<50).map { _ in .init(contentId: content, kind: .view) }, by: actor)
            if round % 5 == 4 { try await test.settle(written.position) }
        }
        try await test.settle()
        #expect(await !rings(test.engine.distributionDoorbell), "ingestion woke the distributor")

        _ = try await test.engine.subscribeWebhook(url: "http://127.0.0.1:9/hook", eventTypes: ["content.*"], by: actor)
        try await test.settle()
        #expect(await rings(test.engine.webhookDoorbell), "a new subscription did not wake the dispatcher")
        await test.close()
    }

    /// Whether a wait returns before 250 ms: the doorbell was rung.
    private func rings(_ bell: FoldDoorbell) async -> Bool {
        let clock = ContinuousClock()
        let started = clock.now
        await bell.doorbell.wait(upTo: .milliseconds(300))
        return clock.now - started < .milliseconds(250)
    }
}
