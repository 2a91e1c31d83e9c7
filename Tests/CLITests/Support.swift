import EventLog
import Foundation
import Testing

/// A built executable of this package, next to the test bundle.
func product(_ name: String) -> String {
    let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [directory, directory.deletingLastPathComponent()]
    for candidate in candidates {
        let path = candidate.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return directory.appendingPathComponent(name).path
}

struct CommandOutput {
    var status: Int32
    var stdout: String
    var stderr: String

    var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    func json() throws -> JSONValue { try JSONValue(parsing: stdout) }
}

/// A fresh data directory for one test, removed afterwards.
final class DataDirectory: Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("smartcontent-cli-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var store: String { path + "/data" }

    func file(_ name: String, _ contents: String) -> String {
        let file = path + "/" + name
        try! contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Runs `smartcontent ARGS --data <store>`.
    func smartcontent(_ arguments: String..., stdin: String? = nil, withData: Bool = true) throws -> CommandOutput {
        try run(product("smartcontent"), arguments + (withData ? ["--data", store] : []), stdin: stdin)
    }

    /// Runs a program with output captured in files, so large outputs cannot block on a pipe.
    func run(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> CommandOutput {
        let id = UUID().uuidString
        let outPath = path + "/out-\(id)", errPath = path + "/err-\(id)", inPath = path + "/in-\(id)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        defer { for file in [outPath, errPath, inPath] { try? FileManager.default.removeItem(atPath: file) } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        process.standardInput = FileHandle(forReadingAtPath: inPath)
        var environment = ProcessInfo.processInfo.environment
        environment["SMARTCONTENT_DATA"] = nil
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        return CommandOutput(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
