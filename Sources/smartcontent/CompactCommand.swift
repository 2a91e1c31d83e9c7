import ArgumentParser
import EventLog
import Foundation
import SmartContent

struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Rewrite every environment of the store without its free pages.",
        discussion: """
            Each LMDB environment (the log and every projection) is copied compacted and put \\
            in place of the original, so pages freed by updates and erasures leave the files. \\
            The store must not be in use: compact takes the store lock and fails at once \\
            (exit 6) while a server or another tool has it open. The log is verified after.

            Prints {"before": bytes, "after": bytes} as JSON.

            Example:
              smartcontent compact --data /var/lib/smartcontent
            """
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let directory = store.directory
        try store.requireStore()
        let lock: StoreLock
        do { lock = try StoreLock(directory: directory, exclusive: true) } catch {
            throw CommandFailure(.refused, "\(error)")
        }
        var environments = [store.logDirectory]
        let projections = directory + "/projections"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: projections)) ?? [] {
            environments.append(projections + "/" + name)
        }
        var before = 0, after = 0
        for environment in environments where FileManager.default.fileExists(atPath: environment + "/data.mdb") {
            before += Self.size(environment + "/data.mdb")
            let scratch = environment + ".compacting"
            try? FileManager.default.removeItem(atPath: scratch)
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            do {
                let source = try LMDBEnvironment(directory: environment)
                try source.copy(to: scratch, compact: true)
                source.close()
            }
            // rename(2) replaces the file in one step: a crash leaves the old or the new one.
            guard rename(scratch + "/data.mdb", environment + "/data.mdb") == 0 else {
                throw CommandFailure(.store, "cannot replace \(environment)/data.mdb: \(String(cString: strerror(errno)))")
            }
            try? FileManager.default.removeItem(atPath: scratch)
            after += Self.size(environment + "/data.mdb")
        }
        withExtendedLifetime(lock) {}
        var options = EventLog.Options()
        options.readOnly = true
        let log = try EventLog(directory: store.logDirectory, options: options)
        let report = try log.verify()
        await log.close()
        guard report.isHealthy else {
            throw CommandFailure(.checkFailed, "the compacted log fails verify: \(report.problems.first ?? "")")
        }
        try printJSON(["before": before, "after": after])
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
}
