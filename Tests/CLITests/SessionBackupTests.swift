import EventLog
import Foundation
import LMDB
import SmartContent
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
        // The engine does not open it either, and says which store and what to do.
        let refused = try dir.run(product("smartcontent"), ["projections", "--data", restored])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("/sessions does not open") && refused.stderr.contains("move it away"), "\(refused.stderr)")
    }

    /// Sessions are one of the store's environments: `compact` rewrites them without their
    /// free pages, and a session (even one an older server wrote) still refreshes after
    /// `compact`, and after a `backup` taken with no server running and its `restore`.
    @Test func sessionsSurviveCompactionAndABackupTakenWithNoServer() async throws {
        let dir = DataDirectory()
        let server = try await RunningServer(data: dir.store, in: dir)
        let ann = try await server.register("ann@example.com")
        let userId = try #require(try await server.call("GET", "/v1/users/me", token: ann.token).data["userId"]?.stringValue)
        #expect(server.stop() == 0)

        // Thousands of sessions that ended (logouts), and one written by hand in the format
        // servers have always stored.
        let handmade = (id: String(repeating: "ab", count: 16), secret: "a-refresh-secret-written-by-an-older-server")
        do {
            let environment = try LMDBEnvironment(directory: dir.store + "/sessions")
            defer { environment.close() }
            let table = try environment.openDatabases(named: ["sessions"])[0]
            let ended = (0..<4000).map { String(format: "%032x", $0) }
            let expires = Int64(Date().timeIntervalSince1970) + 24 * 3600
            try environment.write { txn in
                for id in ended {
                    try put(id, OldSessionRecord(userId: userId, hashHex: String(repeating: "0", count: 64), expiresAt: expires), txn, table)
                }
            }
            try environment.write { txn in
                for id in ended { _ = try Array(id.utf8).withUnsafeBytes { try txn.delete(table, key: $0) } }
                // SHA-256 of the secret, in hex.
                let hash = "3a406e1e1d7d4e46c5c84c5f0e817143fbca94074f7e4d02f1c0f1cd3d5c8f3a"
                try put(handmade.id, OldSessionRecord(userId: userId, hashHex: hash, expiresAt: expires), txn, table)
            }
        }
        let sessionsFile = dir.store + "/sessions/data.mdb"
        let before = try fileSize(sessionsFile)
        let compact = try dir.smartcontent("compact")
        #expect(compact.status == 0, "\(compact.stderr)")
        #expect(try fileSize(sessionsFile) < before / 4, "compact leaves the sessions' free pages in place")

        let backup = try dir.smartcontent("backup", "--to", dir.path + "/backup")
        #expect(backup.status == 0, "\(backup.stderr)")
        let restored = dir.path + "/restored"
        let restore = try dir.run(product("smartcontent"), ["restore", "--from", dir.path + "/backup", "--data", restored])
        #expect(restore.status == 0, "\(restore.stderr)")

        for store in [restored, dir.store] {
            let again = try await RunningServer(data: store, in: dir)
            for token in [ann.refresh, handmade.id + "." + handmade.secret] {
                let refreshed = try await again.call("POST", "/v1/auth/refresh", body: #"{"refreshToken":"\#(token)"}"#)
                #expect(refreshed.status == 200, "\(store): \(refreshed.body)")
            }
            #expect(again.stop() == 0)
        }
    }

    /// A session record that does not decode is damage `verify` names: the server would
    /// fail that user's refresh with an error of its own.
    @Test func verifyNamesASessionRecordThatDoesNotDecode() async throws {
        let dir = DataDirectory()
        let engine = try SmartContentEngine(directory: dir.store)
        await engine.close()
        do {
            let environment = try LMDBEnvironment(directory: dir.store + "/sessions")
            defer { environment.close() }
            let table = try environment.openDatabases(named: ["sessions"])[0]
            try environment.write { txn in
                try Array(String(repeating: "cd", count: 16).utf8).withUnsafeBytes { key in
                    try [UInt8(0xFF)].withUnsafeBytes { try txn.put(table, key: key, value: $0) }
                }
            }
        }
        let verify = try dir.smartcontent("verify")
        #expect(verify.status == 1, "\(verify.stdout)")
        #expect(verify.stdout.contains("sessions: the session cdcd"), "\(verify.stdout)")
    }
}

/// A session as servers store it in `DATA/sessions` (table `sessions`, key: the session id):
/// the user id, the SHA-256 of the refresh secret in hex (strings as a varint length and
/// UTF-8), the expiry in Unix seconds and the credentials version (zig-zag varints).
private struct OldSessionRecord {
    var userId: String
    var hashHex: String
    var expiresAt: Int64
    var credentialsVersion = 0

    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }
        for text in [userId, hashHex] {
            varint(UInt64(text.utf8.count))
            bytes += Array(text.utf8)
        }
        for number in [expiresAt, Int64(credentialsVersion)] { varint(UInt64(bitPattern: (number << 1) ^ (number >> 63))) }
        return bytes
    }
}

private func put(_ id: String, _ record: OldSessionRecord, _ txn: LMDBTransaction, _ table: LMDBDatabase) throws {
    try Array(id.utf8).withUnsafeBytes { key in try record.bytes.withUnsafeBytes { try txn.put(table, key: key, value: $0) } }
}

private func fileSize(_ path: String) throws -> Int {
    try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
}
