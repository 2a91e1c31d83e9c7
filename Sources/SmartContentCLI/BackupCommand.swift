import ArgumentParser
import EventLog
import Foundation
import SmartContent
import SmartContentDomain
import Synchronization

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take a hot, consistent, compacted copy of the store, with a manifest of checksums.",
        discussion: """
            Works while a server or other writers keep writing: each environment is copied \
            from one snapshot (the projections first, then the log, then the subjects' keys, \
            without which the personal data in the log cannot be read). Files are written \
            0600 in 0700 directories, as in the store. The manifest records \
            the last log position the backup holds and a CRC-32C of every file.

            Prints the manifest as JSON. Exit 6 when --to is not empty.

            Example:
              smartcontent backup --data /var/lib/smartcontent --to /backups/2026-02-15
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The directory to write (new, or empty).", valueName: "dir"))
    var to: String

    func validate() throws {
        if to.isEmpty { throw ValidationError("--to must name a directory") }
    }

    func run() async throws {
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: to), !contents.isEmpty {
            throw CommandFailure(.refused, "--to \(to) is not empty; choose a new directory")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: to, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CommandFailure(.refused, "--to \(to) is a file; choose a new directory")
        }
        try refuseInsideStore(to, flag: "--to", store: store)
        var configuration = SmartContentEngine.Configuration()
        configuration.runsProjections = false
        let engine = try store.openEngine(configuration)
        let manifest: BackupManifest
        let progress = Mutex(Progress())
        do {
            manifest = try await engine.backup(to: to) { done, total, name in
                progress.withLock { $0.step("copied", done: done, total: total, name) }
            }
        } catch let error as BackupError {
            progress.withLock { $0.finish() }
            await engine.close()
            throw CommandFailure(.checkFailed, "\(error)")
        } catch {
            progress.withLock { $0.finish() }
            await engine.close()
            throw error
        }
        progress.withLock { $0.finish() }
        await engine.close()
        try printJSON(manifest)
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into the data directory, after checking it against its manifest.",
        discussion: """
            Refuses a data directory that is not empty (exit 6) unless --force, which \
            replaces the SmartContent store there (never a directory holding anything \
            else, nor one the backup is inside of). The copy is staged in DATA/.restoring \
            and moved in place only once complete. A backup whose files do not match the manifest is \
            refused (exit 4) and nothing is touched. After copying, the log is verified and \
            missing read models are folded from it.

            A backup taken before a GDPR erasure still holds the erased subject. With \
            --erasures-from naming the store the backup came from (the live one), every \
            erasure recorded there is applied again to the restored copy, which is then \
            compacted: no erased byte comes back.

            Prints {"lastPosition": P, "files": N, "erasuresReapplied": E}.

            Examples:
              smartcontent restore --from /backups/2026-02-15 --data /var/lib/smartcontent-new
              smartcontent restore --from /backups/2026-02-15 --data /srv/new --erasures-from /srv/old
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var durability: DurabilityOptions

    @Option(help: ArgumentHelp("The backup directory.", valueName: "dir"))
    var from: String

    @Flag(help: "Replace a data directory that is not empty.")
    var force = false

    @Option(help: ArgumentHelp("A store whose GDPR erasures are applied again to the restored copy.", valueName: "dir"))
    var erasuresFrom: String?

    func run() async throws {
        let target = store.directory
        // Read first: an unreadable source of erasures must stop the restore before it starts.
        var erased: [String] = []
        if let erasuresFrom { erased = try await Self.erasedSubjects(in: erasuresFrom) }
        let manifest: BackupManifest
        do {
            _ = try SmartContentEngine.checkBackup(at: from)
            // A lock file left by an engine is not content.
            let contents = ((try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []).filter { $0 != "smartcontent.lock" }
            if !force, !contents.isEmpty {
                throw CommandFailure(.refused, "\(target) is not empty; restore into an empty directory, or add --force")
            }
            // Replacing a store's files needs it to be closed everywhere. Anything else is
            // refused by the restore itself, which must not leave a lock file behind.
            let isStore = FileManager.default.fileExists(atPath: target + "/log/data.mdb")
            let lock = force && isStore ? try StoreLock(directory: target, exclusive: true) : nil
            var progress = Progress()
            manifest = try SmartContentEngine.restore(from: from, into: target, replacing: force) { done, total, path in
                progress.step("restored", done: done, total: total, path)
            }
            progress.finish()
            withExtendedLifetime(lock) {}
        } catch let error as BackupError {
            switch error {
            case .overlapping, .notAStore, .notEmpty: throw CommandFailure(.refused, "\(error)")
            default: throw CommandFailure(.invalidInput, "\(error)")
            }
        } catch let error as StoreLock.Failure {
            throw CommandFailure(.refused, "\(error)")
        }
        var configuration = SmartContentEngine.Configuration()
        configuration.runsProjections = false
        configuration.durability = durability.resolved
        let engine = try store.openEngine(configuration)
        let report = try engine.log.verify()
        var reapplied = 0
        do {
            if report.isHealthy {
                try await engine.catchUp()
                for subject in erased {
                    do {
                        if try await !engine.erase(subject: subject).wasAlreadyErased { reapplied += 1 }
                    } catch let error as DomainError where error.code == .notFound {
                        continue // the backup never held anything about them
                    }
                }
            }
        } catch {
            await engine.close()
            throw error
        }
        await engine.close()
        guard report.isHealthy else {
            throw CommandFailure(.checkFailed, "the restored log fails verify: \(report.problems.first ?? "")")
        }
        if reapplied > 0 { _ = try await CompactCommand.compact(store) }
        try printJSON(["lastPosition": Int(manifest.lastPosition), "files": manifest.files.count, "erasuresReapplied": reapplied])
    }

    /// The subjects the log of the store in `directory` records as erased, oldest first.
    static func erasedSubjects(in directory: String) async throws -> [String] {
        var options = EventLog.Options()
        options.readOnly = true
        let log: EventLog
        do { log = try EventLog(directory: directory + "/log", options: options) } catch {
            throw CommandFailure(.notFound, "--erasures-from \(directory) holds no readable store: \(error)")
        }
        let subjects = Result {
            try log.withSnapshot { snapshot in
                var subjects: [String] = []
                try snapshot.forEach(from: 1, filter: EventFilter(types: [SubjectErased.eventType])) { view in
                    if case .subjectErased(let erased) = try EventCatalog.decode(view) { subjects.append(erased.subjectId) }
                    return true
                }
                return subjects
            }
        }
        await log.close()
        return try subjects.get()
    }
}

func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let stdout = FileOutput(descriptor: 1)
    stdout.write(String(decoding: try encoder.encode(value), as: UTF8.self) + "\n")
    stdout.flush()
}

/// Refuses a copy (backup, point-in-time store) inside the data directory: it would
/// outlive a GDPR erasure's compaction, and `restore --force` would delete it.
func refuseInsideStore(_ path: String, flag: String, store: StoreOptions) throws {
    let target = URL(fileURLWithPath: path).standardizedFileURL.path
    let data = URL(fileURLWithPath: store.directory).standardizedFileURL.path
    if target == data || target.hasPrefix(data + "/") {
        throw CommandFailure(.refused, "\(flag) \(path) is inside the data directory \(store.directory); choose a directory outside it")
    }
}
