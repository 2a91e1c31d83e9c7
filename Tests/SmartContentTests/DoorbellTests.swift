@testable import SmartContent
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
