import ArgumentParser
import EventLog
#if canImport(Glibc)
import Glibc
#endif

@main
struct SmartContentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smartcontent",
        abstract: "The SmartContent event-sourced engine: its log, its read models and its tools.",
        discussion: """
            Every command works on a data directory (--data, or SMARTCONTENT_DATA, default \
            ./smartcontent-data). Output meant for programs is JSON; errors go to stderr.

            Exit codes:
              0  success
              1  a check failed (verify, or the verify that backup, restore and compact run)
              2  bad usage: unknown flag, missing or malformed argument
              3  conflict: wrong expected version, or an event id reused for another event
              4  invalid input data (a bad line in an import, a bad payload, a TLS
                 certificate or key that serve cannot read or use)
              5  the store cannot be opened or read (missing, locked, corrupt, or its key
                 store DATA/keys is gone while the log holds personal data sealed under it)
              6  refused: the target of a backup or restore is not empty, or the store is
                 in use by another process (compact, restore --force, gdpr erase)
              7  not found: the engine holds nothing about that subject (gdpr)
            """,
        version: SmartContentCommand.version,
        subcommands: [
            ServeCommand.self, AppendCommand.self, ImportCommand.self, ReplayCommand.self, QueryCommand.self, ProjectionsCommand.self,
            RebuildCommand.self, GDPRCommand.self, BackupCommand.self, RestoreCommand.self, CompactCommand.self,
            VerifyCommand.self, StatsCommand.self, DistributionCommand.self,
        ]
    )

    /// The release this tool belongs to (`smartcontent --version`).
    static let version = "0.8.0"

    /// Parses, runs, and maps every failure to a one-line message and a documented exit code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            writeError(failure.message)
            Glibc.exit(failure.code.rawValue)
        } catch let error as EventLogError {
            let failure = CommandFailure(error)
            writeError(failure.message)
            Glibc.exit(failure.code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            // Usage errors (ArgumentParser's 64) are 2, as the documentation promises, and
            // one line: the reason and where the usage is.
            if code == .validationFailure {
                let reason = message(for: error).split(separator: "\n").first.map(String.init) ?? "bad usage"
                writeError("\(reason) (see 'smartcontent help\(commandPath())')")
                Glibc.exit(2)
            }
            writeError(fullMessage(for: error))
            if let exitCode = error as? ExitCode { Glibc.exit(exitCode.rawValue) }
            Glibc.exit(5)
        }
    }
}

/// The subcommands named on the command line, as in `" gdpr export"`: where the help of
/// the command that was misused is. Stops at the first argument that is not one.
func commandPath() -> String {
    var path = ""
    var commands = SmartContentCommand.configuration.subcommands
    for argument in CommandLine.arguments.dropFirst() where !argument.hasPrefix("-") {
        guard let command = commands.first(where: { $0._commandName == argument }) else { break }
        path += " " + argument
        commands = command.configuration.subcommands
    }
    return path
}

func writeError(_ message: String) {
    var line = message.hasPrefix("Error:") || message.hasPrefix("error:") ? message : "error: \(message)"
    if !line.hasSuffix("\n") { line += "\n" }
    writeToStandardError(line)
}
