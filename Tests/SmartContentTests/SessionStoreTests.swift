import Foundation
import SmartContent
import Testing
import TestSupport

/// The server's sessions are a store of the engine's: kept, read back and deleted by id,
/// opened once per process, and carried by a backup like the log and the keys.
@Suite struct SessionStoreTests {
    let session = SessionStore.Session(userId: "usr_ann", secretHash: Array(0..<32), expiresAt: 1_800_000_000,
                                       credentialsVersion: 2)
    let id = String(repeating: "0f", count: 16)

    @Test func aSessionIsReadBackUntilItIsDeleted() async throws {
        let directory = TemporaryDirectory("sessions")
        defer { directory.remove() }
        let engine = try SmartContentEngine(directory: directory.path)
        #expect(try engine.sessions.session(id) == nil)
        try engine.sessions.put(session, id: id)
        #expect(try engine.sessions.session(id) == session)
        #expect(try engine.sessions.contains(id))
        #expect(try engine.sessions.delete(id))
        #expect(try engine.sessions.session(id) == nil && !engine.sessions.contains(id))
        #expect(try !engine.sessions.delete(id), "deleting an absent session reports it")
        // LMDB forbids a second open of an environment in one process: the engine's is the only one.
        #expect(throws: (any Error).self) { try SessionStore(directory: directory.path + "/sessions") }
        await engine.close()
    }

    @Test func aRestoredBackupHoldsTheSessions() async throws {
        let directory = TemporaryDirectory("sessions")
        defer { directory.remove() }
        let engine = try SmartContentEngine(directory: directory.path + "/live")
        try engine.sessions.put(session, id: id)
        let manifest = try await engine.backup(to: directory.path + "/backup")
        #expect(manifest.files.contains { $0.path == "sessions/data.mdb" })
        await engine.close()

        _ = try SmartContentEngine.restore(from: directory.path + "/backup", into: directory.path + "/restored")
        let restored = try SmartContentEngine(directory: directory.path + "/restored")
        #expect(try restored.sessions.session(id) == session)
        #expect(try restored.sessions.verify().isEmpty)
        await restored.close()
    }

    @Test func expiredSessionsAreDeletedAndTheOthersKept() async throws {
        let directory = TemporaryDirectory("sessions")
        defer { directory.remove() }
        let engine = try SmartContentEngine(directory: directory.path)
        var expired = session
        expired.expiresAt = 1_000
        try engine.sessions.put(expired, id: "expired")
        var lastSecond = session
        lastSecond.expiresAt = 2_000
        try engine.sessions.put(lastSecond, id: "lastSecond")
        try engine.sessions.put(session, id: id)
        #expect(try engine.sessions.deleteExpired(asOf: 2_000) == 2)
        #expect(try engine.sessions.session("expired") == nil)
        #expect(try engine.sessions.session("lastSecond") == nil, "a token is refused from its expiry on")
        #expect(try engine.sessions.session(id) == session)
        #expect(try engine.sessions.deleteExpired(asOf: 2_000) == 0)
        await engine.close()
    }
}
