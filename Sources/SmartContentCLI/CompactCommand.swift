import ArgumentParser
import EventLog
import Foundation
import SmartContent

struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Rewrite every environment of the store without its free pages.",
        discussion: """
            Each LMDB environment (the log, the keys, the sessions and every projection) is copied \
            compacted and put in place of the original, so pages freed by updates and \
            erasures leave the files: after `gdpr erase`, this is what removes the last \
            bytes of the erased data. The store must not be in use: compact takes the store \
            lock and fails at once (exit 6) while a server or another tool has it open. \
            The log is verified after.

            Prints {"before": bytes, "after": bytes} as JSON.

            Example:
              smartcontent compact --data /var/lib/smartcontent
            """
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try store.requireStore()
        let report = try await Self.compact(store)
        try printJSON(["before": report.bytesBefore, "after": report.bytesAfter])
    }

    /// Compacts and verifies the log after; shared with `gdpr erase`.
    static func compact(_ store: StoreOptions) async throws -> StoreCompaction.Report {
        var progress = Progress()
        let report: StoreCompaction.Report
        do {
            report = try StoreCompaction.compact(directory: store.directory) { done, total, environment in
                progress.step("compacting", done: done, total: total, environment)
            }
        } catch let failure as StoreLock.Failure {
            progress.finish()
            throw CommandFailure(.refused, "\(failure)")
        }
        progress.finish()
        var options = EventLog.Options()
        options.readOnly = true
        let log = try EventLog(directory: store.logDirectory, options: options)
        let verification: VerificationReport
        do { verification = try log.verify() } catch {
            await log.close()
            throw error
        }
        await log.close()
        guard verification.isHealthy else {
            throw CommandFailure(.checkFailed, "the compacted log fails verify: \(verification.problems.first ?? "")")
        }
        return report
    }
}
