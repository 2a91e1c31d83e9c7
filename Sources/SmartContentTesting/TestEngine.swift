import EventLog
import Foundation
public import SmartContent
public import SmartContentDomain
import SmartContentProjections
import Synchronization

/// A ``SmartContentEngine`` on a fresh temporary directory, for your tests: a clock you
/// set, a fast password hash, and given/when/then helpers.
///
/// ```swift
/// let test = try TestEngine()
/// let alice = try await test.user("alice@example.com")
/// try await test.given([ContentCreated(…).event])
/// let outcome = await test.when { try await $0.deleteContent("cnt_1", by: alice) }
/// #expect(outcome.events.map(\.type) == ["ContentDeleted"])
/// await test.close()
/// ```
public final class TestEngine: Sendable {
    public let engine: SmartContentEngine
    public let directory: String
    private let clock: TestClock

    /// - Parameters:
    ///   - now: the engine's clock until you move it with ``advance(milliseconds:)``.
    ///   - systemClock: the engine follows the system clock instead (`now` and
    ///     ``advance(milliseconds:)`` then have no effect): for tests of what happens over
    ///     real time, such as deliveries and their retries.
    ///   - generator: what generates and refines content (the offline generator by default).
    public init(now: Instant = Instant(iso8601: "2026-02-15T10:00:00Z")!, runsProjections: Bool = true,
                systemClock: Bool = false, generator: any ContentGenerator = OfflineContentGenerator()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smartcontent-test-\(UUID().uuidString)").path
        let clock = TestClock(now)
        self.clock = clock
        var configuration = SmartContentEngine.Configuration()
        configuration.durability = .noSync
        configuration.passwordHasher = BcryptPasswordHasher(cost: 4)
        if systemClock {
            configuration.clock = { Instant.now }
        } else {
            configuration.clock = { clock.now }
        }
        configuration.runsProjections = runsProjections
        configuration.generator = generator
        engine = try SmartContentEngine(directory: directory, configuration: configuration)
    }

    public var now: Instant { engine.now }

    public func advance(milliseconds: Int64) { clock.advance(milliseconds) }

    /// Closes the engine and deletes its directory.
    public func close() async {
        await engine.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Registers a user (password `Correct-Horse-9`) and returns them as an actor in their
    /// own workspace.
    public func user(_ email: String, name: String = "Test User") async throws -> Actor {
        let registered = try await engine.register(email: email, password: Self.password, name: name)
        return try await engine.actor(registered.value.userId)
    }

    public static let password = "Correct-Horse-9"

    /// Appends `events` as history and waits until every projection has folded them.
    @discardableResult
    public func given(_ events: [DomainEvent], by actor: String? = "usr_test", workspace: WorkspaceID? = nil) async throws -> UInt64 {
        let position = try await engine.record(events, by: actor, workspace: workspace)
        try await settle(position)
        return position
    }

    /// Waits until every projection has folded the whole log.
    public func settle(_ position: UInt64? = nil) async throws {
        let target = try position ?? engine.lastPosition()
        try await engine.waitForProjections(toReach: target, timeout: .seconds(30))
    }

    /// The log as `smartcontent replay` prints it, one line per event: personal data
    /// opened, credentials redacted. For checking what an operator would see.
    public func replayed() async throws -> String {
        let engine = engine
        return try await engine.log.offload {
            try engine.log.withSnapshot { snapshot in
                var lines: [UInt8] = []
                try snapshot.forEach(from: 1) { view in
                    try EventCatalog.appendWireLine(view, to: &lines, reading: engine.vault.openForDisplay)
                    lines.append(UInt8(ascii: "\n"))
                    return true
                }
                return String(decoding: lines, as: UTF8.self)
            }
        }
    }

    /// What a command did: the events it appended, or the error it threw.
    public struct Outcome: Sendable {
        public var events: [DomainEvent]
        public var error: (any Error)?

        /// The `DomainError` code, if it failed with one.
        public var errorCode: DomainError.Code? { (error as? DomainError)?.code }
    }

    /// Runs `command` and reports the events it appended (the projections have folded them).
    public func when(_ command: @Sendable (SmartContentEngine) async throws -> Void) async -> Outcome {
        do {
            let before = try engine.lastPosition()
            do {
                try await command(engine)
            } catch {
                let after = try engine.lastPosition()
                return Outcome(events: try await engine.events(after: before).filter { $0.position <= after }.map(\.event),
                               error: error)
            }
            try await settle()
            return Outcome(events: try await engine.events(after: before).map(\.event), error: nil)
        } catch {
            return Outcome(events: [], error: error)
        }
    }
}

/// The time a ``TestEngine`` shows its engine.
final class TestClock: Sendable {
    private let time: Mutex<Instant>
    init(_ start: Instant) { time = Mutex(start) }
    var now: Instant { time.withLock { $0 } }
    func advance(_ milliseconds: Int64) { time.withLock { $0 = $0.adding(milliseconds: milliseconds) } }
}
