public import EventLog
import Foundation
public import SmartContentDomain
public import SmartContentProjections

/// The SmartContent engine embedded in your process: the event log, the rules and every
/// projection behind one API.
///
/// ```swift
/// let engine = try SmartContentEngine(directory: "./smartcontent-data")
/// let alice = try await engine.register(email: "alice@example.com", password: "Correct-Horse-9", name: "Alice")
/// let actor = try await engine.actor(alice.value.userId)
/// let post = try await engine.createContent(.init(title: "Hello", body: "…", contentType: .blogPost), by: actor)
/// let view = try await engine.read(ContentProjection.self, atLeast: post.position) {
///     try $0.content(post.value.contentId, in: actor.workspaceId)
/// }
/// await engine.close()
/// ```
///
/// Commands check the rules against the current state of their stream, append with the
/// stream's version as expected version (retrying a few times if another writer got
/// there first) and return what they wrote with the log position reached. Reads can
/// ask for "at least position N" and wait (bounded) for the projections to get there.
public final class SmartContentEngine: Sendable {
    public struct Configuration: Sendable {
        public var durability: EventLog.Durability = .sync
        public var passwordHasher: any PasswordHasher = BcryptPasswordHasher()
        public var generator: any ContentGenerator = OfflineContentGenerator()
        /// The time commands see (tests pin it).
        public var clock: @Sendable () -> Instant = { Instant.now }
        /// Fold the log in the background; tools that only append can turn it off.
        public var runsProjections = true
        /// How long a read waits for read-your-writes before a timeout error.
        public var readTimeout: Duration = .seconds(5)
        /// Events folded per transaction while catching up (`ProjectionRunner.defaultBatchSize`).
        public var projectionBatchSize = ProjectionRunner.defaultBatchSize
        /// How far ahead of the engine's clock engagement may say it happened: clients'
        /// clocks drift, but engagement years ahead is a bug that would skew every range.
        public var maxClockSkew: Duration = .seconds(300)
        /// How connecting a channel reaches its network (a Mastodon instance's limits);
        /// nil: ``URLSessionDeliveryTransport/shared``.
        public var channelTransport: (any DeliveryTransport)?

        public init() {}
    }

    public let directory: String
    /// The log and the runner are the engine's parts, for its own modules: embedders go
    /// through ``lastPosition()``, ``subscribe(after:filter:)``, ``projectionStatus()``,
    /// ``waitForProjections(toReach:timeout:)`` and ``catchUp()``.
    package let log: EventLog
    package let projections: ProjectionRunner
    /// The subjects' keys: personal data is sealed on append and opened on read. Only
    /// the engine's own modules reach it; embedders go through the commands, reads and
    /// GDPR methods, which keep keys and pseudonyms consistent with the log.
    package let vault: PersonalDataVault
    /// The server's sessions: a store of the engine's, so backups, `compact` and `verify`
    /// cover it, and no other part opens it a second time.
    package let sessions: SessionStore
    let configuration: Configuration
    let registrations = SerialGate()
    /// Audience creations and renames, one at a time: names are unique per workspace.
    let audienceNames = SerialGate()
    /// Held shared while the engine is open; see ``StoreLock``.
    let lock: StoreLock
    /// Rung when work for a ``Distributor`` is folded, so it starts without polling.
    let distributionDoorbell: FoldDoorbell
    /// Rung when events that webhooks deliver are folded, for a ``WebhookDispatcher``.
    let webhookDoorbell: FoldDoorbell

    /// Every projection the engine keeps.
    public static let projectionTypes: [any Projection.Type] = [
        ContentProjection.self, ScheduleProjection.self, AnalyticsProjection.self, RecommendationProjection.self,
        AuditProjection.self, UserProjection.self, DistributionProjection.self, AudienceProjection.self,
        WebhookProjection.self,
    ]

    /// Opens (creating) the engine's store in `directory`: the log in `directory/log`, the
    /// projections in `directory/projections/<name>`, the subjects' keys in `directory/keys`,
    /// the server's sessions in `directory/sessions`.
    public init(directory: String = "./smartcontent-data", configuration: Configuration = Configuration()) throws {
        self.directory = directory
        self.configuration = configuration
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        lock = try StoreLock(directory: directory, exclusive: false)
        var options = EventLog.Options()
        options.durability = configuration.durability
        log = try EventLog(directory: directory + "/log", options: options)
        let distributionDoorbell = FoldDoorbell(), webhookDoorbell = FoldDoorbell()
        (self.distributionDoorbell, self.webhookDoorbell) = (distributionDoorbell, webhookDoorbell)
        do {
            let vault = try PersonalDataVault(directory: directory + "/keys", beside: log)
            self.vault = vault
            sessions = try SessionStore(directory: directory + "/sessions")
            projections = try ProjectionRunner(log: log, projections: Self.projectionTypes.map { $0.init() },
                                               directory: directory + "/projections",
                                               batchSize: configuration.projectionBatchSize, reading: vault.open,
                                               afterFolding: { [distributionDoorbell, webhookDoorbell] position in
                distributionDoorbell.folded(through: position)
                webhookDoorbell.folded(through: position)
            })
        } catch {
            // Closed now, not when the writer thread notices: a caller may mend the store
            // and open it again at once.
            log.closeBlocking()
            throw error
        }
        if configuration.runsProjections { projections.start() }
    }

    /// Stops the projections and closes every store, after queued appends are written, and
    /// releases the store lock. The directory can be opened again at once.
    public func close() async {
        await projections.close()
        await log.close()
        vault.close()
        sessions.close()
        lock.release()
    }

    /// The time commands see: the configured clock (tests pin it).
    public var now: Instant { configuration.clock() }

    // MARK: Reading projections

    /// Runs `body` on a snapshot of a projection, once it has folded `position` (when
    /// given), off the cooperative pool.
    ///
    /// - Throws: `ProjectionRunner.Failure` when the projection does not get there in
    ///   time, or whatever `body` throws.
    public func read<P: QueryableProjection, R: Sendable>(
        _ projection: P.Type, atLeast position: UInt64? = nil, _ body: @escaping @Sendable (P.Queries) throws -> R
    ) async throws -> R {
        let store = try await store(of: projection, atLeast: position)
        return try await log.offload { try store.read { try body(P.Queries($0)) } }
    }

    /// The projection's store, once it has folded `position` (bounded wait).
    private func store<P: QueryableProjection>(of _: P.Type, atLeast position: UInt64?) async throws -> ProjectionStore {
        if let position, position > 0 {
            try await projections.waitUntil(position: position, projection: P.name, timeout: configuration.readTimeout)
        }
        return try projections.store(named: P.name)
    }
}

extension SmartContentEngine {
    /// Like ``read(_:atLeast:_:)``, but runs `body` on the calling task instead of a
    /// blocking-pool thread: for point reads that touch a handful of warm pages (a
    /// request's content, its user), where two thread hops would cost far more than the
    /// read. Scans of unbounded size belong in ``read(_:atLeast:_:)``.
    public func readNow<P: QueryableProjection, R>(
        _ projection: P.Type, atLeast position: UInt64? = nil, _ body: (P.Queries) throws -> R
    ) async throws -> R {
        try await store(of: projection, atLeast: position).read { try body(P.Queries($0)) }
    }
}

/// A projection with a query API over a snapshot of its store.
public protocol QueryableProjection: Projection {
    associatedtype Queries: ProjectionQueries
}

extension ContentProjection: QueryableProjection {}
extension ContentProjection.Queries: ProjectionQueries {}
extension ScheduleProjection: QueryableProjection {}
extension ScheduleProjection.Queries: ProjectionQueries {}
extension AnalyticsProjection: QueryableProjection {}
extension AnalyticsProjection.Queries: ProjectionQueries {}
extension RecommendationProjection: QueryableProjection {}
extension RecommendationProjection.Queries: ProjectionQueries {}
extension AuditProjection: QueryableProjection {}
extension AuditProjection.Queries: ProjectionQueries {}
extension UserProjection: QueryableProjection {}
extension UserProjection.Queries: ProjectionQueries {}
extension DistributionProjection: QueryableProjection {}
extension DistributionProjection.Queries: ProjectionQueries {}
extension AudienceProjection: QueryableProjection {}
extension AudienceProjection.Queries: ProjectionQueries {}
extension WebhookProjection: QueryableProjection {}
extension WebhookProjection.Queries: ProjectionQueries {}

/// What a command wrote and the log position it reached (`X-Log-Position`).
public struct Written<Value: Sendable>: Sendable {
    public var value: Value
    public var position: UInt64
}

extension Instant {
    public static var now: Instant {
        Instant(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}

extension SmartContentEngine {
    /// Folds the log from the start (up to `until`, when given) into fresh stores under
    /// `directory`, without touching the live projections: for point-in-time read models,
    /// disaster recovery, and checking that a rebuild equals the live state.
    ///
    /// - Parameter names: the projections to rebuild; all when `nil`.
    /// - Returns: a runner over the rebuilt stores, not started.
    public func rebuild(into directory: String, projections names: [String]? = nil, until: UInt64? = nil,
                        batchSize: Int = ProjectionRunner.defaultBatchSize) async throws -> ProjectionRunner {
        let types = Self.projectionTypes.filter { names?.contains($0.name) ?? true }
        if let names, let unknown = names.first(where: { name in !types.contains { $0.name == name } }) {
            throw ProjectionRunner.Failure.unknownProjection(unknown)
        }
        let runner = try ProjectionRunner(log: log, projections: types.map { $0.init() }, directory: directory,
                                          batchSize: batchSize, reading: vault.open)
        try await log.offload { try runner.catchUp(until: until ?? .max) }
        return runner
    }
}

extension SmartContentEngine {
    /// The last position recorded at or before `time` (0 when none): what `--until TIME` means.
    public func position(at time: Instant) async throws -> UInt64 {
        try await log.offload {
            try self.log.withSnapshot { snapshot in
                var position: UInt64 = 0
                try snapshot.forEach(from: 1) { view in
                    guard view.recordedAt <= time.millisecondsSince1970 else { return true }
                    position = view.position
                    return true
                }
                return position
            }
        }
    }

    /// Writes a complete store as of `position` into `directory`: the log's first
    /// `position` events (same ids, positions, versions, times and payloads) and every
    /// projection folded from them. The live store is only read.
    ///
    /// `progress` hears how far each phase got: `"copied"` events of the log, then
    /// `"rebuilt"` (the slowest projection's checkpoint), both out of `position`.
    public func pointInTime(
        until position: UInt64, into directory: String, batchSize: Int = 5000,
        progress: (_ phase: String, _ done: UInt64, _ total: UInt64) -> Void = { _, _, _ in }
    ) async throws {
        var configuration = Configuration()
        configuration.runsProjections = false
        configuration.durability = .noSync
        // The copy's events are sealed under this store's keys.
        try vault.backup(to: directory + "/keys")
        let copy = try SmartContentEngine(directory: directory, configuration: configuration)
        do {
            var next: UInt64 = 1
            while next <= position {
                let from = next
                let appends = try await log.offload {
                    try self.log.withSnapshot { snapshot in
                        var appends: [StreamAppend] = []
                        try snapshot.forEach(from: from) { view in
                            guard view.position <= position else { return false }
                            appends.append(StreamAppend(stream: view.stream, events: [NewEvent(
                                id: view.id, type: view.type, schemaVersion: view.schemaVersion, metadata: try view.metadata(),
                                payloadFormat: view.payloadFormat, payload: Array(view.payloadBytes),
                                recordedAt: view.recordedAt)]))
                            return appends.count < batchSize
                        }
                        return appends
                    }
                }
                if appends.isEmpty { break }
                try await copy.log.append(appends)
                next += UInt64(appends.count)
                progress("copied", next - 1, position)
            }
            try copy.log.sync()
            progress("rebuilt", 0, position)
            while try await copy.log.offload({ try copy.projections.step() }) {
                progress("rebuilt", copy.projections.status().map(\.checkpoint).min() ?? 0, position)
            }
        } catch {
            await copy.close()
            throw error
        }
        await copy.close()
    }

    /// Folds everything appended so far into every projection, on the log's I/O threads:
    /// for tools that answer from projections without the background runner.
    public func catchUp() async throws {
        try await log.offload { try self.projections.catchUp() }
    }

    /// Empties the named projections (all when `nil`) and folds them again from position 0:
    /// the disaster-recovery path when read models are lost or suspect.
    public func rebuildInPlace(_ names: [String]? = nil) async throws {
        try await resetProjections(names)
        try await catchUp()
    }

    /// Empties the named projections (all when `nil`) and sets their checkpoints to 0; the
    /// runner (or `ProjectionRunner.catchUp(until:)`) folds them again.
    public func resetProjections(_ names: [String]? = nil) async throws {
        for name in names ?? projections.names {
            try projections.store(named: name).reset()
        }
        try projections.resetCheckpoints(names)
    }
}
