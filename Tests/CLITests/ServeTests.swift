import EventLog
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// A real `smartcontent serve` on a free port, talked to over HTTP on loopback.
final class RunningServer: Sendable {
    let process: Child
    /// The port it bound.
    let port: Int
    let base: String
    let logPath: String

    /// - Parameters:
    ///   - environment: variables to set for the server, beside the test's own.
    ///   - executable: the `smartcontent` to run; the one built beside the tests by default.
    init(data: String, in dir: DataDirectory, arguments: [String] = [], environment extra: [String: String] = [:],
         executable: String = product("smartcontent")) async throws {
        logPath = dir.path + "/serve-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        var environment = ProcessInfo.processInfo.environment
        environment["SMARTCONTENT_DATA"] = nil
        environment.merge(extra) { $1 }
        let process = try Child(executable, ["serve", "--data", data, "--port", "0"] + arguments,
                                environment: environment, stderr: logPath)
        self.process = process
        // The port it bound is in its log: "listening address=127.0.0.1:PORT" (or the
        // address given with --host, such as 0.0.0.0).
        // Generous: the whole suite on 2 cores can starve a starting server.
        let deadline = ContinuousClock.now + .seconds(150)
        var address: String?
        while address == nil, ContinuousClock.now < deadline, process.isRunning {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            address = log.split(separator: "\n").first { $0.hasSuffix(" listening") }
                .flatMap { $0.split(separator: " ").first { $0.hasPrefix("address=") } }
                .map { String($0.dropFirst("address=".count)) }
            if address == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        guard let address, let port = address.split(separator: ":").last.flatMap({ Int($0) }) else {
            process.terminate()
            throw ServeFailure(log: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
        }
        self.port = port
        base = "http://127.0.0.1:\(port)"
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    struct ServeFailure: Error, CustomStringConvertible {
        var log: String
        var description: String { "the server did not start:\n\(log)" }
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: JSONValue

        var data: JSONValue { body["data"] ?? .null }
        func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
    }

    func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil,
              headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields["\(key)"] = "\(value)" }
        return Reply(status: http.statusCode, headers: fields, body: (try? JSONValue(parsing: data)) ?? .null)
    }

    func register(_ email: String) async throws -> (token: String, refresh: String) {
        let password = "Correct-Horse-9"
        let registered = try await call("POST", "/v1/auth/register", body: #"{"email":"\#(email)","password":"\#(password)","name":"N"}"#)
        #expect(registered.status == 201)
        let login = try await call("POST", "/v1/auth/login", body: #"{"email":"\#(email)","password":"\#(password)"}"#)
        return (login.data["accessToken"]?.stringValue ?? "", login.data["refreshToken"]?.stringValue ?? "")
    }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        process.terminate()
        // Longer than the server's own 25-second drain limit.
        awaitExit(process, "smartcontent serve after SIGTERM", within: .seconds(60), stderrPath: logPath)
        return process.terminationStatus
    }
}

@Suite(.serialized, .timeLimit(.minutes(10))) struct ServeTests {
    /// The operator's tool on the directory a server is serving: reads, backups and
    /// point-in-time copies work, `replay --follow` sees the server's writes as they land,
    /// and what needs the store alone is refused clearly, changing nothing.
    @Test func theToolWorksBesideARunningServer() async throws {
        let dir = DataDirectory()
        let server = try await RunningServer(data: dir.store, in: dir)
        _ = try await server.register("first@example.com")
        let followed = dir.path + "/followed.jsonl"
        let follower = try Child(product("smartcontent"), ["replay", "--follow", "--type", "UserRegistered", "--data", dir.store],
                                 stdout: followed)
        func registrations() -> Int {
            ((try? String(contentsOfFile: followed, encoding: .utf8)) ?? "").split(separator: "\n").count
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while registrations() < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        _ = try await server.register("second@example.com")
        while registrations() < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(registrations() == 2, "replay --follow printed the server's second registration")
        follower.terminate()
        awaitExit(follower, "replay --follow after SIGTERM", within: .seconds(60))

        #expect(try dir.smartcontent("verify").status == 0)
        let backup = try dir.smartcontent("backup", "--to", dir.path + "/backup")
        #expect(backup.status == 0, "\(backup.stderr)")
        let copy = try dir.smartcontent("rebuild", "--until", "1", "--into", dir.path + "/then")
        #expect(copy.status == 0, "\(copy.stderr)")
        let compact = try dir.smartcontent("compact")
        #expect(compact.status == 6)
        #expect(compact.stderr.contains("in use"), "\(compact.stderr)")
        let restore = try dir.smartcontent("restore", "--from", dir.path + "/backup", "--force")
        #expect(restore.status == 6)
        #expect(restore.stderr.contains("in use"), "\(restore.stderr)")
        let stillServing = try await server.call("POST", "/v1/auth/login",
                                                 body: #"{"email":"second@example.com","password":"Correct-Horse-9"}"#)
        #expect(stillServing.status == 200)
        #expect(server.stop() == 0)

        let restored = dir.path + "/restored"
        #expect(try dir.run(product("smartcontent"), ["restore", "--from", dir.path + "/backup", "--data", restored]).status == 0)
        let users = try dir.run(product("smartcontent"), ["query", "users", "--email", "second@example.com", "--data", restored])
        #expect(users.status == 0, "\(users.stderr)")
        #expect(users.stdout.contains("second@example.com"))
    }

    @Test func theServerKeepsWorkspacesApartLocksAccountsRotatesTokensAndReadsYourWrites() async throws {
        let dir = DataDirectory()
        let server = try await RunningServer(data: dir.store, in: dir)
        defer { _ = server.stop() }
        let health = try await server.call("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.header("X-Request-Id")?.hasPrefix("req_") == true)

        let ann = try await server.register("ann@example.com")
        let bob = try await server.register("bob@example.com")
        let created = try await server.call("POST", "/v1/content", token: ann.token,
                                            body: #"{"title":"Secret plans","body":"B","contentType":"article"}"#)
        #expect(created.status == 201)
        let id = try #require(created.data["contentId"]?.stringValue)
        let position = try #require(created.header("X-Log-Position"))
        // Read-your-writes: a read that names the write's position sees it.
        let listed = try await server.call("GET", "/v1/content", token: ann.token, headers: ["X-Min-Position": position])
        #expect(listed.data["items"]?.arrayCount == 1)
        #expect(try await server.call("GET", "/v1/content/\(id)", token: bob.token).status == 404)
        #expect(try await server.call("GET", "/v1/content", token: bob.token, headers: ["X-Min-Position": position]).data["items"]?.arrayCount == 0)
        #expect(try await server.call("GET", "/v1/analytics/content/\(id)", token: bob.token).status == 404)


        for _ in 1...5 {
            _ = try await server.call("POST", "/v1/auth/login", body: #"{"email":"bob@example.com","password":"Wrong-Horse-99"}"#)
        }
        let locked = try await server.call("POST", "/v1/auth/login", body: #"{"email":"bob@example.com","password":"Correct-Horse-9"}"#)
        #expect(locked.status == 401, "a locked account answers as an unknown email")
        #expect(locked.body["error"]?["code"] == .string("UNAUTHORIZED"))

        let huge = String(repeating: "x", count: 10 * 1024 * 1024 + 1)
        let tooLarge = try await server.call("POST", "/v1/content", token: ann.token,
                                             body: #"{"title":"T","body":"\#(huge)","contentType":"article"}"#)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.body["error"]?["code"] == .string("PAYLOAD_TOO_LARGE"))
        // The same body sent chunked, without a length to refuse it by.
        var chunked = URLRequest(url: URL(string: server.base + "/v1/content")!)
        chunked.httpMethod = "POST"
        chunked.setValue("Bearer \(ann.token)", forHTTPHeaderField: "Authorization")
        chunked.setValue("application/json", forHTTPHeaderField: "Content-Type")
        chunked.httpBodyStream = InputStream(data: Data(#"{"title":"T","body":"\#(huge)","contentType":"article"}"#.utf8))
        let (chunkedBody, chunkedResponse) = try await URLSession.shared.data(for: chunked)
        #expect((chunkedResponse as? HTTPURLResponse)?.statusCode == 413, "\(String(decoding: chunkedBody, as: UTF8.self))")
        let rotated = try await server.call("POST", "/v1/auth/refresh", body: #"{"refreshToken":"\#(ann.refresh)"}"#)
        #expect(rotated.status == 200)
        #expect(try await server.call("POST", "/v1/auth/refresh", body: #"{"refreshToken":"\#(ann.refresh)"}"#).status == 401, "a refresh token works once")
        #expect(try await server.call("GET", "/readyz").status == 200)
        let spec = try await server.call("GET", "/openapi.yaml")
        #expect(spec.status == 200)
    }

    /// A binary copied without the resource folder SwiftPM puts beside it still serves; only
    /// `/openapi.yaml` answers, with an envelope that names the missing file.
    @Test
    func aBinaryWithoutItsResourcesServesAndSaysTheDocumentIsMissing() async throws {
        let dir = DataDirectory()
        let copy = dir.path + "/bin/smartcontent"
        try FileManager.default.createDirectory(atPath: dir.path + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: product("smartcontent"), toPath: copy)
        let server = try await RunningServer(data: dir.store, in: dir, executable: copy)
        defer { _ = server.stop() }
        #expect(try await server.call("GET", "/healthz").status == 200)
        let spec = try await server.call("GET", "/openapi.yaml")
        #expect(spec.status == 503)
        #expect(spec.body["error"]?["code"] == .string("DOCUMENT_MISSING"))
        #expect(spec.body["error"]?["message"]?.stringValue?.contains("openapi.yaml") == true, "\(spec.body)")
        #expect(server.log.contains("warning"), "said at start-up: \(server.log)")
    }

    @Test func theRateLimitAnswers429WithRetryAfter() async throws {
        let dir = DataDirectory()
        let server = try await RunningServer(data: dir.store, in: dir, arguments: ["--rate-limit-ip", "10"])
        defer { _ = server.stop() }
        var last: RunningServer.Reply?
        for _ in 0..<12 { last = try await server.call("POST", "/v1/auth/login", body: #"{"email":"x@example.com","password":"whatever-long-1A"}"#) }
        let limited = try #require(last)
        #expect(limited.status == 429)
        #expect(limited.body["error"]?["code"] == .string("RATE_LIMITED"))
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(try await server.call("GET", "/healthz").status == 200, "monitoring is never limited")
    }

    @Test func sigtermDrainsAndLosesNoAcknowledgedWrite() async throws {
        let dir = DataDirectory()
        let server = try await RunningServer(data: dir.store, in: dir)
        let ann = try await server.register("ann@example.com")
        let created = try await server.call("POST", "/v1/content", token: ann.token, body: #"{"title":"T","body":"B","contentType":"article"}"#)
        let id = try #require(created.data["contentId"]?.stringValue)
        // Four clients ingest engagement until the server goes away; each counts its 202s.
        let token = ann.token
        let acknowledged = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var count = 0
                    while true {
                        guard let reply = try? await server.call("POST", "/v1/analytics/events", token: token,
                                                                 body: #"{"events":[{"contentId":"\#(id)","kind":"view"},{"contentId":"\#(id)","kind":"click"}]}"#),
                              reply.status == 202
                        else { return count }
                        count += 2
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(400))
            #expect(server.stop() == 0, "SIGTERM is a clean exit")
            return try await group.reduce(0, +)
        }
        let log = try String(contentsOfFile: server.logPath, encoding: .utf8)
        #expect(log.contains("closing the engine"))
        let stored = try dir.smartcontent("replay", "--type", "EngagementRecorded").lines.count
        #expect(acknowledged > 0)
        #expect(stored >= acknowledged, "every acknowledged event is in the log")
        #expect(try dir.smartcontent("verify").status == 0)
    }
}
