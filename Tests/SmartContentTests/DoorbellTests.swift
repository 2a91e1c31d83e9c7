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
    @Test func itRingsOnceTheFoldPassesTheWork() {
        let bell = FoldDoorbell()
        bell.folded(through: 100)
        #expect(!bell.doorbell.takeRing(), "no work was recorded")
        bell.ring(whenFoldedPast: 110)
        bell.ring(whenFoldedPast: 107)  // an earlier position does not hold it back
        bell.folded(through: 109)
        #expect(!bell.doorbell.takeRing(), "the fold has not reached the work")
        bell.folded(through: 110)
        #expect(bell.doorbell.takeRing())
        bell.folded(through: 111)
        #expect(!bell.doorbell.takeRing(), "one ring for one piece of work")
    }

    /// The appender records its work after its append returns, and the fold may have
    /// passed it by then: on an idle server no later fold would come to ring.
    @Test func workRecordedAfterTheFoldPassedItRingsAtOnce() {
        let bell = FoldDoorbell()
        bell.folded(through: 50)
        bell.ring(whenFoldedPast: 50)
        #expect(bell.doorbell.takeRing())
        bell.ring(whenFoldedPast: 51)
        #expect(!bell.doorbell.takeRing(), "not folded yet")
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
        // A subscription is work for the webhook dispatcher: once its bell rings, the fold
        // has passed every engagement before it, and told both bells.
        _ = try await test.engine.subscribeWebhook(url: "http://127.0.0.1:9/hook", eventTypes: ["content.*"], by: actor)
        let deadline = ContinuousClock.now + .seconds(60)
        var woken = false
        while !woken, ContinuousClock.now < deadline {
            woken = test.engine.webhookDoorbell.doorbell.takeRing()
            if !woken { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(woken, "a new subscription did not wake the dispatcher")
        #expect(!test.engine.distributionDoorbell.doorbell.takeRing(), "ingestion woke the distributor")
        await test.close()
    }
}
