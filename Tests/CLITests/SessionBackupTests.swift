import EventLog
import Foundation
import Testing

/// A restore is a disaster recovery: users who were logged in must stay logged in, and
/// tokens signed before must verify, or the recovery looks to them like a break-in.
@Suite(.serialized, .timeLimit(.minutes(10))) struct SessionBackupTests {
    @Test func aRestoredStoreKeepsSessionsAndTheTokenKey() async throws {
        let dir = DataDirectory()
        let server = try await RunningServer(data: dir.store, in: dir)
        let ann = try await server.register("ann@example.com")
        #expect(try await server.call("GET", "/v1/users/me", token: ann.token).status == 200)
        // Taken while the server runs and holds the sessions store open.
        let backup = try dir.smartcontent("backup", "--to", dir.path + "/backup")
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.contains("sessions/data.mdb") && backup.stdout.contains("jwt-secret"), "\(backup.stdout)")
        #expect(server.stop() == 0)

        let restored = dir.path + "/restored"
        let restore = try dir.run(product("smartcontent"), ["restore", "--from", dir.path + "/backup", "--data", restored])
        #expect(restore.status == 0, "\(restore.stderr)")
        let verify = try dir.run(product("smartcontent"), ["verify", "--data", restored])
        #expect(verify.status == 0, "\(verify.stderr)")
        let secretMode = try FileManager.default.attributesOfItem(atPath: restored + "/jwt-secret")[.posixPermissions] as? NSNumber
        #expect(secretMode?.intValue == 0o600)

        let again = try await RunningServer(data: restored, in: dir)
        #expect(try await again.call("GET", "/v1/users/me", token: ann.token).status == 200, "the access token still verifies")
        let refreshed = try await again.call("POST", "/v1/auth/refresh", body: #"{"refreshToken":"\#(ann.refresh)"}"#)
        #expect(refreshed.status == 200, "the session survived: \(refreshed.body)")
        #expect(again.stop() == 0)

        // verify names a token key others can read, and a sessions store that does not open.
        chmod(restored + "/jwt-secret", 0o644)
        try Data("not an LMDB file".utf8).write(to: URL(fileURLWithPath: restored + "/sessions/data.mdb"))
        let damaged = try dir.run(product("smartcontent"), ["verify", "--data", restored])
        #expect(damaged.status == 1)
        #expect(damaged.stdout.contains("jwt-secret: mode 644"), "\(damaged.stdout)")
        #expect(damaged.stdout.contains("sessions: the store does not read"), "\(damaged.stdout)")
    }
}
