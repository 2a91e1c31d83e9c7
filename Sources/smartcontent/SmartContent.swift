import ArgumentParser

@main
struct SmartContentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "smartcontent")
    func run() async throws {}
}
