import SmartContentDomain
import ArgumentParser
import EventLog
import SmartContent
#if canImport(Glibc)
import Glibc
#endif

/// The option every command shares: where the store is.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp(
        "The data directory (default: $SMARTCONTENT_DATA, else ./smartcontent-data).", valueName: "dir"))
    var dataDirectory: String?

    var directory: String {
        dataDirectory ?? environment("SMARTCONTENT_DATA") ?? "./smartcontent-data"
    }

    var logDirectory: String { directory + "/log" }

    /// Opens the log; `create` is false for commands that must not conjure an empty store.
    func openLog(create: Bool, readOnly: Bool = false, durability: EventLog.Durability = .sync) throws -> EventLog {
        if !create {
            try requireStore()
        } else {
            mkdir(directory, 0o700)
        }
        var options = EventLog.Options()
        options.durability = durability
        options.readOnly = readOnly
        try holdSharedLock()
        return try EventLog(directory: logDirectory, options: options)
    }
}

extension StoreOptions {
    /// The subjects' keys (`DATA/keys`) if the store has them; see
    /// ``PersonalDataVault/existing(directory:beside:)``.
    func existingVault(beside log: EventLog) throws -> PersonalDataVault? {
        try PersonalDataVault.existing(directory: directory + "/keys", beside: log)
    }

    /// Opens (creating) the subjects' keys (`DATA/keys`), unless `log` holds data sealed
    /// under a key store that is gone.
    func openVault(beside log: EventLog) throws -> PersonalDataVault {
        try PersonalDataVault(directory: directory + "/keys", beside: log)
    }

    /// Opens the engine on an existing store (the log must exist), appending as
    /// `configuration.durability` says (sync unless a command's `--durability` chose).
    func openEngine(_ configuration: SmartContentEngine.Configuration) throws -> SmartContentEngine {
        try requireStore()
        return try SmartContentEngine(directory: directory, configuration: configuration)
    }
}

/// The store lock this process holds while a command uses the store (one command per
/// process, so one lock for its whole life).
nonisolated(unsafe) private var heldLock: StoreLock?

extension StoreOptions {
    /// Fails (exit 5) unless the data directory holds a log: reading commands never create one.
    func requireStore() throws {
        var status = stat()
        guard stat(logDirectory + "/data.mdb", &status) == 0 else {
            throw CommandFailure(.store, "no SmartContent store at \(directory) (expected \(logDirectory)/data.mdb)")
        }
    }

    /// Keeps `compact` and `restore --force` away while this command reads or writes.
    func holdSharedLock() throws {
        guard heldLock == nil else { return }
        do { heldLock = try StoreLock(directory: directory, exclusive: false) } catch {
            throw CommandFailure(.refused, "\(error)")
        }
    }
}

func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
}

/// How a command that appends commits: only those take `--durability`.
struct DurabilityOptions: ParsableArguments {
    @Option(name: .customLong("durability"), help: ArgumentHelp(
        "sync: an append returns once it is on disk. nosync: leave flushing to the OS (faster; a machine crash may lose the latest appends). Default: $SMARTCONTENT_DURABILITY, else sync.",
        valueName: "sync|nosync"))
    var value: String?

    var resolved: EventLog.Durability {
        EventLog.Durability(rawValue: value ?? environment("SMARTCONTENT_DURABILITY") ?? "sync") ?? .sync
    }

    func validate() throws {
        if let value = value ?? environment("SMARTCONTENT_DURABILITY"), EventLog.Durability(rawValue: value) == nil {
            throw ValidationError("--durability must be sync or nosync, not '\(value)'")
        }
    }
}

/// Opens the engine on the store with the projections caught up, runs `body`, and closes
/// it; a refused command exits 7 when something is not found, 4 otherwise.
func withEngine<R: Sendable>(
    _ store: StoreOptions, durability: EventLog.Durability = .sync, _ body: (SmartContentEngine) async throws -> R
) async throws -> R {
    var configuration = SmartContentEngine.Configuration()
    configuration.runsProjections = false
    configuration.durability = durability
    let engine = try store.openEngine(configuration)
    do {
        try await engine.catchUp()
        let result = try await body(engine)
        await engine.close()
        return result
    } catch let error as DomainError {
        await engine.close()
        throw CommandFailure(error.code == .notFound ? .notFound : .invalidInput, error.message)
    } catch {
        await engine.close()
        throw error
    }
}

