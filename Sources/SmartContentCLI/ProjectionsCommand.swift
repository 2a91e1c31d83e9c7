import ArgumentParser
import Foundation
import SmartContent
import SmartContentProjections

struct ProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "List the projections: name, checkpoint, lag and status, as JSON.",
        discussion: """
            Reads the checkpoints as they are (it folds nothing): a server running on the \
            same directory keeps them moving. `lag` is how many events of the log a \
            projection has not folded yet.

            Example:
              smartcontent projections --data /var/lib/smartcontent
            """
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        var configuration = SmartContentEngine.Configuration()
        configuration.runsProjections = false
        let engine = try store.openEngine(configuration)
        let status = engine.projectionStatus().map { entry -> ProjectionRunner.Status in
            var entry = entry
            if entry.state == .stopped { entry.state = entry.lag == 0 ? .live : .catchingUp }
            return entry
        }
        await engine.close()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let stdout = FileOutput(descriptor: 1)
        stdout.write(String(decoding: try encoder.encode(status), as: UTF8.self) + "\n")
        stdout.flush()
    }
}
