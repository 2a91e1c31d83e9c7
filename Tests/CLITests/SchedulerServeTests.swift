import EventLog
import Foundation
import Testing

/// The scheduler inside a real `smartcontent serve`: a schedule fires while it serves, and
/// one that fell due while the server was killed fires once after the restart.
@Suite(.serialized, .timeLimit(.minutes(10))) struct SchedulerServeTests {
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    @Test func aScheduleDueWhileTheServerWasKilledFiresOnceAfterTheRestart() async throws {
        let dir = DataDirectory()
        let server = try await RunningServer(data: dir.store, in: dir)
        let ann = try await server.register("ann@example.com")
        let content = try await server.call("POST", "/v1/content", token: ann.token,
                                            body: #"{"title":"T","body":"B","contentType":"article"}"#)
        let channel = try await server.call("POST", "/v1/distribution/channels", token: ann.token,
                                            body: #"{"name":"Hook","url":"http://127.0.0.1:9/hook"}"#)
        let contentId = content.data["contentId"]?.stringValue ?? "", channelId = channel.data["channelId"]?.stringValue ?? ""
        func schedule(inSeconds seconds: Double) async throws -> (id: String, due: Date) {
            let due = Date().addingTimeInterval(seconds)
            let reply = try await server.call("POST", "/v1/schedules", token: ann.token, body: """
                {"contentId":"\(contentId)","publishTime":"\(Self.iso(due))","timezone":"Europe/Paris","channels":["\(channelId)"]}
                """)
            #expect(reply.status == 201, "\(reply.body)")
            return (reply.data["scheduleId"]?.stringValue ?? "", due)
        }
        let soon = try await schedule(inSeconds: 1.5)

        func firedCount(_ id: String, on server: RunningServer, token: String) async throws -> Int? {
            let reply = try await server.call("GET", "/v1/schedules/\(id)", token: token)
            return reply.data["firedCount"]?.doubleValue.map { Int($0) }
        }
        func waitUntilFired(_ id: String, on server: RunningServer, token: String) async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while try await firedCount(id, on: server, token: token) != 1, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        try await waitUntilFired(soon.id, on: server, token: ann.token)
        #expect(try await firedCount(soon.id, on: server, token: ann.token) == 1, "fired while serving")
        // Made due only now, so that it falls due while the server is down however long the
        // first took to fire on a busy machine.
        let later = try await schedule(inSeconds: 8)
        try #require(Date() < later.due, "the server was killed after the second schedule was due")
        #expect(try await firedCount(later.id, on: server, token: ann.token) == 0)
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()

        while Date() < later.due.addingTimeInterval(0.5) { try await Task.sleep(for: .milliseconds(50)) }
        let restarted = try await RunningServer(data: dir.store, in: dir)
        let login = try await restarted.call("POST", "/v1/auth/login", body: #"{"email":"ann@example.com","password":"Correct-Horse-9"}"#)
        let token = login.data["accessToken"]?.stringValue ?? ""
        try await waitUntilFired(later.id, on: restarted, token: token)
        #expect(try await firedCount(later.id, on: restarted, token: token) == 1, "overdue within the grace: fired at start")
        #expect(try await firedCount(soon.id, on: restarted, token: token) == 1, "not fired again")
        #expect(restarted.stop() == 0)

        let fired = try dir.smartcontent("replay", "--type", "ScheduleFired")
        #expect(fired.status == 0, "\(fired.stderr)")
        let ids = fired.lines.compactMap { try? JSONValue(parsing: $0)["data"]?["scheduleId"]?.stringValue }
        #expect(ids.sorted() == [soon.id, later.id].sorted(), "each fired exactly once: \(fired.stdout)")
        let jobs = try dir.smartcontent("replay", "--type", "DistributionRequested")
        #expect(jobs.lines.count == 2)
    }
}
