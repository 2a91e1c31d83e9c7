import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid`.
///
/// Not Foundation's `Process`: on Linux its `run()` over-reads the entries of
/// `/proc/self/fd` and crashes now and then (swift-corelibs-foundation#5472, seen here in
/// about one test run in five with tests starting processes in parallel). Not
/// swift-subprocess either, though it also spawns without reading that directory: its
/// `Execution` is valid only inside one closure, while these tests keep a server or a
/// writer running across steps and kill it from outside. The child gets
/// files or `/dev/null` as its standard streams, default signal handling, and no other
/// descriptor of the test process (a lock file inherited by a child would keep its lock).
final class Child: Sendable {
    let processIdentifier: pid_t
    /// The raw `waitpid` status once reaped.
    private let status = Mutex<Int32?>(nil)

    struct SpawnFailure: Error, CustomStringConvertible {
        var executable: String
        var code: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    /// - Parameters: `stdout`/`stderr` are files, truncated; `nil` for stderr leaves the
    ///   test's own (useful to see a helper's crash).
    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
         stdin: String = "/dev/null", stdout: String = "/dev/null", stderr: String? = "/dev/null") throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let stderr { posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        _ = Self.closeFrom?(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGQUIT, SIGABRT, SIGCHLD, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let environment = environment ?? ProcessInfo.processInfo.environment
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw SpawnFailure(executable: executable, code: code) }
        processIdentifier = pid
    }

    /// glibc ≥ 2.34's `posix_spawn_file_actions_addclosefrom_np`, which the Glibc module
    /// does not declare.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    var isRunning: Bool { reap(blocking: false) == nil }

    func waitUntilExit() { _ = reap(blocking: true) }

    /// The exit code, or the signal that ended it; waits for the end.
    var terminationStatus: Int32 {
        guard let raw = reap(blocking: true) else { return -1 }
        return Self.signal(raw) ?? (raw >> 8) & 0xff
    }

    /// Whether a signal ended it; waits for the end.
    var endedBySignal: Bool { reap(blocking: true).map { Self.signal($0) != nil } ?? false }

    /// SIGTERM, as `Process.terminate()`.
    func terminate() { kill(processIdentifier, SIGTERM) }

    private static func signal(_ raw: Int32) -> Int32? {
        let signal = raw & 0x7f
        return signal != 0 && signal != 0x7f ? signal : nil
    }

    private func reap(blocking: Bool) -> Int32? {
        if let known = status.withLock({ $0 }) { return known }
        var raw: Int32 = 0
        while true {
            let result = waitpid(processIdentifier, &raw, blocking ? 0 : WNOHANG)
            if result == processIdentifier {
                status.withLock { $0 = raw }
                return raw
            }
            if result == -1, errno == EINTR { continue }
            // 0: still running; ECHILD: another thread reaped it first.
            return status.withLock { $0 }
        }
    }
}

@Suite(.timeLimit(.minutes(10))) struct ChildTests {
    @Test func aChildInheritsOnlyItsThreeStreams() throws {
        let dir = DataDirectory()
        // Descriptors the test process holds, as an open store's lock would be.
        let held = open(dir.path, O_RDONLY)
        defer { close(held) }
        let listed = try dir.run("/bin/ls", ["/proc/self/fd"])
        #expect(listed.status == 0)
        // 0, 1, 2, and the directory ls itself opened to list them.
        #expect(listed.lines.compactMap { Int($0) }.filter { $0 > 2 }.count == 1, "\(listed.stdout)")
    }

    @Test func exitCodesAndSignalsAreReported() throws {
        let failing = try Child("/bin/sh", ["-c", "exit 7"])
        #expect(failing.terminationStatus == 7)
        #expect(!failing.endedBySignal)
        let killed = try Child("/bin/sleep", ["30"])
        #expect(killed.isRunning)
        kill(killed.processIdentifier, SIGKILL)
        #expect(killed.terminationStatus == SIGKILL)
        #expect(killed.endedBySignal)
        #expect(throws: Child.SpawnFailure.self) { try Child("/nonexistent/program", []) }
    }
}
