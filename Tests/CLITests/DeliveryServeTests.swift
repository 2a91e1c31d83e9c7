import EventLog
import Foundation
import SmartContentTesting
import Synchronization
import Testing

/// Deliveries from a real `smartcontent serve` to a receiver on loopback: signatures a
/// receiver verifies with its own implementation, every due schedule delivered once to a
/// deduplicating receiver across a SIGKILL, and dead letters sent again from the CLI.
@Suite(.serialized, .timeLimit(.minutes(10))) struct DeliveryServeTests {
    /// Standard Webhooks verification as a receiver writes it, with Python's standard
    /// library: nothing shared with the server's code.
    static let verifier = #"""
    import base64, hashlib, hmac, json, sys
    checked = 0
    for line in sys.stdin:
        r = json.loads(line)
        key = base64.b64decode(r["secret"][len("whsec_"):])
        signed = (r["id"] + "." + r["timestamp"] + ".").encode() + base64.b64decode(r["body"])
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        given = [s.split(",", 1)[1] for s in r["signature"].split(" ") if s.startswith("v1,")]
        if not any(hmac.compare_digest(expected, g) for g in given):
            print("bad signature for", r["id"]); sys.exit(1)
        checked += 1
    print("verified", checked)
    """#

    static func verify(_ requests: [WebhookReceiver.Request], secret: String, in dir: DataDirectory) throws -> CommandOutput {
        let lines = requests.map { request -> String in
            let record: [String: String] = [
                "secret": secret, "id": request.headers["webhook-id"] ?? "", "timestamp": request.headers["webhook-timestamp"] ?? "",
                "signature": request.headers["webhook-signature"] ?? "", "body": Data(request.body).base64EncodedString(),
            ]
            return String(decoding: try! JSONSerialization.data(withJSONObject: record), as: UTF8.self)
        }
        return try dir.run("/usr/bin/python3", [dir.file("verify.py", verifier)], stdin: lines.joined(separator: "\n") + "\n")
    }

    /// A webhook channel to `receiver`: its id and its secret.
    static func connect(_ receiver: WebhookReceiver, on server: RunningServer, token: String) async throws -> (String, String) {
        let channel = try await server.call("POST", "/v1/distribution/channels", token: token,
                                            body: #"{"name":"Hook","url":"\#(receiver.url())"}"#)
        #expect(channel.status == 201, "\(channel.body)")
        return (channel.data["channelId"]?.stringValue ?? "", channel.data["secret"]?.stringValue ?? "")
    }

    @Test func everyDueScheduleReachesADeduplicatingReceiverOnceAcrossASIGKILL() async throws {
        let dir = DataDirectory()
        // Slow enough that the kill finds deliveries in flight.
        let receiver = try WebhookReceiver { _, _ in .slow(.milliseconds(150), status: 200) }
        defer { receiver.stop() }
        let environment = ["SMARTCONTENT_DISTRIBUTION_BACKOFF_MS": "50", "SMARTCONTENT_DISTRIBUTION_CONCURRENCY": "2"]
        let server = try await RunningServer(data: dir.store, in: dir, environment: environment)
        let ann = try await server.register("ann@example.com")
        let (channelId, secret) = try await Self.connect(receiver, on: server, token: ann.token)
        var contents: [String] = []
        for index in 0..<12 {
            let content = try await server.call("POST", "/v1/content", token: ann.token,
                                                body: #"{"title":"Post \#(index)","body":"B","contentType":"article"}"#)
            contents.append(content.data["contentId"]?.stringValue ?? "")
        }
        // Far enough ahead that a loaded machine schedules all twelve before it (5 s was
        // not, with builds running beside the suite).
        let due = Date().addingTimeInterval(12)
        var schedules: [String] = []
        for contentId in contents {
            let schedule = try await server.call("POST", "/v1/schedules", token: ann.token, body: """
                {"contentId":"\(contentId)","publishTime":"\(SchedulerServeTests.iso(due))","timezone":"UTC","channels":["\(channelId)"]}
                """)
            #expect(schedule.status == 201, "\(schedule.body)")
            schedules.append(schedule.data["scheduleId"]?.stringValue ?? "")
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while receiver.requests.count < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        let beforeKill = receiver.requests.count
        #expect(beforeKill >= 3 && beforeKill < 12, "killed mid-way: \(beforeKill) received")

        let restarted = try await RunningServer(data: dir.store, in: dir, environment: environment)
        var delivered = Set<String>()
        while delivered.count < 12, ContinuousClock.now < deadline + .seconds(30) {
            try await Task.sleep(for: .milliseconds(50))
            delivered = Set(receiver.requests.compactMap { $0.headers["webhook-id"] })
        }
        #expect(delivered.count == 12, "each of the 12 due schedules reached the receiver")
        try await Task.sleep(for: .milliseconds(500))
        #expect(restarted.stop() == 0)

        let published = try dir.smartcontent("replay", "--type", "ContentPublished")
        let jobs = published.lines.compactMap { try? JSONValue(parsing: $0)["data"]?["jobId"]?.stringValue }
        #expect(jobs.count == 12 && Set(jobs).count == 12, "each job published once: \(published.stdout)")
        let fired = try dir.smartcontent("replay", "--type", "ScheduleFired")
        #expect(fired.lines.count == 12)
        #expect(receiver.requests.count - delivered.count <= 2 * 2,
                "resent at most what was in flight at the kill (2 per channel)")
        let verified = try Self.verify(receiver.requests, secret: secret, in: dir)
        #expect(verified.status == 0 && verified.stdout.contains("verified \(receiver.requests.count)"), "\(verified.stdout)\(verified.stderr)")
    }

    @Test func aDeadLetterIsSentAgainByTheCLIAndByTheAPIUnderItsWebhookID() async throws {
        let dir = DataDirectory()
        let healthy = Atomic<Bool>(false)
        let receiver = try WebhookReceiver { _, _ in healthy.load(ordering: .relaxed) ? .status(200) : .status(500) }
        defer { receiver.stop() }
        let environment = ["SMARTCONTENT_DISTRIBUTION_BACKOFF_MS": "20", "SMARTCONTENT_DISTRIBUTION_MAX_ATTEMPTS": "2"]
        let server = try await RunningServer(data: dir.store, in: dir, environment: environment)
        let ann = try await server.register("ann@example.com")
        let (channelId, _) = try await Self.connect(receiver, on: server, token: ann.token)
        let content = try await server.call("POST", "/v1/content", token: ann.token, body: #"{"title":"T","body":"B","contentType":"article"}"#)
        let contentId = content.data["contentId"]?.stringValue ?? ""

        func publishAndWaitForDeadLetter() async throws -> String {
            let published = try await server.call("POST", "/v1/distribution/publish", token: ann.token,
                                                  body: #"{"contentId":"\#(contentId)","channels":["\#(channelId)"]}"#)
            #expect(published.status == 202)
            let job = published.data["jobId"]?.stringValue ?? ""
            try await waitFor(job, status: "dead_lettered")
            return job
        }
        func waitFor(_ job: String, status: String) async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                if try await server.call("GET", "/v1/distribution/status/\(job)", token: ann.token).data["status"]?.stringValue == status { return }
                try await Task.sleep(for: .milliseconds(30))
            }
            Issue.record("job \(job) never became \(status)")
        }

        let first = try await publishAndWaitForDeadLetter()
        let second = try await publishAndWaitForDeadLetter()
        healthy.store(true, ordering: .relaxed)

        let cli = try dir.smartcontent("distribution", "retry", first)
        #expect(cli.status == 0, "\(cli.stderr)")
        guard case .array(let deliveries)? = try cli.json()["deliveries"] else { Issue.record("\(cli.stdout)"); return }
        #expect(deliveries.first?["status"]?.stringValue == "queued", "\(cli.stdout)")
        try await waitFor(first, status: "delivered")

        let api = try await server.call("POST", "/v1/distribution/status/\(second)/retry", token: ann.token)
        #expect(api.status == 202, "\(api.body)")
        try await waitFor(second, status: "delivered")
        let again = try await server.call("POST", "/v1/distribution/status/\(second)/retry", token: ann.token)
        #expect(again.status == 409, "nothing left to retry: \(again.body)")

        let ids = receiver.requests.compactMap { $0.headers["webhook-id"] }
        #expect(ids.count == 6 && Set(ids).count == 2, "two attempts and one resend each, under one id per delivery: \(ids)")
        let unknown = try dir.smartcontent("distribution", "retry", "job_nope")
        #expect(unknown.status == 7, "\(unknown.stderr)")
        #expect(server.stop() == 0)
    }
}
