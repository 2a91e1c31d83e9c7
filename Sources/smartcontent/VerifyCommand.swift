import ArgumentParser
import EventLog
import Foundation

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record and index of the store; exit 0 only when all is well.",
        discussion: """
            Checks each record's checksum and layout, that positions have no gap, that each \
            stream's versions are dense and its links right, and that the id, stream and \
            stream-index tables agree with the records. Safe while another process writes.

            Prints a JSON report; exits 1 (and says what is wrong on stderr) when a check fails.

            Example:
              smartcontent verify --data /var/lib/smartcontent && echo healthy
            """
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let log = try store.openLog(create: false, readOnly: true)
        var progress = Progress()
        let total = try log.lastPosition()
        let report = try log.verify { progress.update("verified", done: $0, total: total) }
        progress.finish()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let stdout = FileOutput(descriptor: 1)
        stdout.write(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
        stdout.flush()
        if !report.isHealthy {
            throw CommandFailure(.checkFailed, "verify found \(report.problemCount) problem(s); first: \(report.problems[0])")
        }
    }
}
