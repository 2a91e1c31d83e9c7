import EventLog
import Foundation
import Testing
import TestSupport

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
    let directory = TemporaryDirectory("data")
    /// The folder, for the files a test writes beside the store.
    var path: String { directory.root }
    var store: String { directory.path }

    func file(_ name: String, _ contents: String) -> String {
        let file = path + "/" + name
        try! contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Runs `smartcontent ARGS --data <store>`.
    func smartcontent(_ arguments: String..., stdin: String? = nil, withData: Bool = true) throws -> CommandOutput {
        try run(product("smartcontent"), arguments + (withData ? ["--data", store] : []), stdin: stdin)
    }

    /// Runs a program with output captured in files, so large outputs cannot block on a pipe;
    /// `environment` is set beside the test's own variables.
    func run(_ executable: String, _ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:]) throws -> CommandOutput {
        let id = UUID().uuidString
        let outPath = path + "/out-\(id)", errPath = path + "/err-\(id)", inPath = path + "/in-\(id)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        defer { for file in [outPath, errPath, inPath] { try? FileManager.default.removeItem(atPath: file) } }
        var environment = ProcessInfo.processInfo.environment
        environment["SMARTCONTENT_DATA"] = nil
        environment.merge(extra) { $1 }
        let process = try Child(executable, arguments, environment: environment, stdin: inPath, stdout: outPath, stderr: errPath)
        awaitExit(process, ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " "), stderrPath: errPath)
        return CommandOutput(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}

/// Waits for a child to exit. A child still running after `limit` is a hang, not a slow
/// machine: it gets SIGABRT, so that the Swift runtime writes every thread's backtrace to
/// its stderr, then SIGKILL; the test fails with that backtrace instead of the whole run
/// waiting for ever.
func awaitExit(_ process: Child, _ what: @autoclosure () -> String, within limit: Duration = .seconds(300),
               stderrPath: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    let deadline = ContinuousClock.now + limit
    while process.isRunning, ContinuousClock.now < deadline { usleep(1_000) }
    guard process.isRunning else { return process.waitUntilExit() }
    kill(process.processIdentifier, SIGABRT)
    let grace = ContinuousClock.now + .seconds(30)
    while process.isRunning, ContinuousClock.now < grace { usleep(10_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    let last = ContinuousClock.now + .seconds(10)
    while process.isRunning, ContinuousClock.now < last { usleep(10_000) }
    // It may have ended on its own just before the signal.
    if !process.isRunning, !process.endedBySignal { return }
    let stderr = stderrPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
    Issue.record("\(what()) still ran after \(limit), so it was killed:\n\(stderr.suffix(20_000))",
                 sourceLocation: sourceLocation)
}

/// Every regular file under `directory`, as its path relative to it and its bytes.
func filesWithContents(under directory: String) throws -> [(path: String, bytes: Data)] {
    var files: [(path: String, bytes: Data)] = []
    let enumerator = FileManager.default.enumerator(atPath: directory)
    while let relative = enumerator?.nextObject() as? String {
        let path = directory + "/" + relative
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
        files.append((relative, try Data(contentsOf: URL(fileURLWithPath: path))))
    }
    return files
}
