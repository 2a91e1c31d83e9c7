import Foundation
import LMDB
import SmartContentDomain

/// The server's sessions (`DATA/sessions`): one record per open session, by session id.
///
/// An environment of the engine's store like the log and the keys, so that a backup, a
/// restore, `compact` and `verify` cover it. What a session means (tokens, rotation,
/// expiry) is the server's `TokenService`; this store only keeps the records, in the
/// layout servers have always written.
package final class SessionStore: Sendable {
    /// One open session.
    package struct Session: Sendable, Hashable {
        package var userId: String
        /// SHA-256 of the refresh secret: the secret itself is never stored.
        package var secretHash: [UInt8]
        /// When the refresh token stops working, in Unix seconds.
        package var expiresAt: Int64
        /// The user's credentials version when the session was started or last refreshed.
        package var credentialsVersion: Int

        package init(userId: String, secretHash: [UInt8], expiresAt: Int64, credentialsVersion: Int) {
            self.userId = userId
            self.secretHash = secretHash
            self.expiresAt = expiresAt
            self.credentialsVersion = credentialsVersion
        }
    }

    package enum Failure: Error, CustomStringConvertible, Sendable {
        /// The environment does not open (its files are damaged): the engine cannot open either.
        case unreadable(directory: String, reason: String)
        /// A record that does not decode as a session.
        case damaged(session: String, reason: String)

        package var description: String {
            switch self {
            case .unreadable(let directory, let reason):
                "the session store \(directory) does not open (\(reason)); restore it from a backup, or move it "
                    + "away, which ends every session"
            case .damaged(let session, let reason): "the session \(session) does not decode: \(reason)"
            }
        }
    }

    let environment: LMDBEnvironment
    /// session id → user id, hex SHA-256 of the secret (strings), expiry, credentials version
    let sessions: LMDBDatabase

    /// Opens (creating) the session store in `directory`.
    ///
    /// - Throws: ``Failure/unreadable(directory:reason:)`` when its files do not open.
    package init(directory: String) throws(Failure) {
        var options = LMDBEnvironment.Options()
        options.initialMapSize = 16 << 20
        options.maxDatabases = 1
        do {
            environment = try LMDBEnvironment(directory: directory, options: options)
            sessions = try environment.openDatabases(named: ["sessions"])[0]
        } catch {
            throw .unreadable(directory: directory, reason: "\(error)")
        }
    }

    package func close() { environment.close() }

    /// A consistent, compacted copy of the store.
    package func backup(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try environment.copy(to: directory, compact: true)
    }

    /// Stores `session` under `id`, replacing what was there.
    package func put(_ session: Session, id: String) throws {
        var writer = BinaryWriter(capacity: 96)
        writer.write(session.userId)
        writer.write(session.secretHash.map { String(format: "%02x", $0) }.joined())
        writer.write(session.expiresAt)
        writer.write(session.credentialsVersion)
        try environment.write { txn in
            try Array(id.utf8).withUnsafeBytes { name in
                try writer.bytes.withUnsafeBytes { try txn.put(sessions, key: name, value: $0) }
            }
        }
    }

    /// The session stored under `id`, if any.
    ///
    /// - Throws: ``Failure/damaged(session:reason:)`` when its record does not decode.
    package func session(_ id: String) throws -> Session? {
        try environment.read { txn in
            try Array(id.utf8).withUnsafeBytes { name -> Session? in
                guard let stored = try txn.get(sessions, key: name) else { return nil }
                return try Self.decode(stored, id: id)
            }
        }
    }

    /// Whether a session is stored under `id`, without decoding it: the check of every request.
    package func contains(_ id: String) throws -> Bool {
        try environment.read { txn in
            try Array(id.utf8).withUnsafeBytes { try txn.get(sessions, key: $0) != nil }
        }
    }

    /// Deletes the session stored under `id`; `false` when there was none.
    @discardableResult
    package func delete(_ id: String) throws -> Bool {
        try environment.write { txn in
            try Array(id.utf8).withUnsafeBytes { try txn.delete(sessions, key: $0) }
        }
    }

    /// Deletes every session whose refresh token has expired at `now` (Unix seconds; a
    /// token stops working at its expiry): no token of it works any longer. A record that
    /// does not decode is left for `verify`.
    ///
    /// - Returns: how many were deleted.
    @discardableResult
    package func deleteExpired(asOf now: Int64) throws -> Int {
        try environment.write { txn in
            let expired = try txn.withCursor(sessions) { cursor in
                var expired: [[UInt8]] = []
                var entry = try cursor.first()
                while let (name, value) = entry {
                    if let session = try? Self.decode(value, id: ""), session.expiresAt <= now { expired.append(Array(name)) }
                    entry = try cursor.next()
                }
                return expired
            }
            for name in expired { _ = try name.withUnsafeBytes { try txn.delete(sessions, key: $0) } }
            return expired.count
        }
    }

    /// Every record that does not decode as a session, as problems for `verify`.
    package func verify() throws -> [String] {
        try environment.read { txn in
            try txn.withCursor(sessions) { cursor in
                var problems: [String] = []
                var entry = try cursor.first()
                while let (name, value) = entry {
                    do { _ = try Self.decode(value, id: String(decoding: name, as: UTF8.self)) } catch {
                        problems.append("sessions: \(error)")
                    }
                    entry = try cursor.next()
                }
                return problems
            }
        }
    }

    private static func decode(_ stored: UnsafeRawBufferPointer, id: String) throws(Failure) -> Session {
        var reader = BinaryReader(stored)
        let userId: String, hex: [UInt8], expiresAt: Int64, credentialsVersion: Int
        do {
            userId = try reader.read()
            hex = Array(try reader.read(String.self).utf8)
            expiresAt = try reader.read()
            credentialsVersion = try reader.read()
        } catch {
            throw .damaged(session: id, reason: "\(error)")
        }
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
            throw .damaged(session: id, reason: "the secret's hash is not 64 hex digits")
        }
        let hash = stride(from: 0, to: hex.count, by: 2).map { nibble(hex[$0]) << 4 | nibble(hex[$0 + 1]) }
        return Session(userId: userId, secretHash: hash, expiresAt: expiresAt, credentialsVersion: credentialsVersion)
    }

    private static func nibble(_ digit: UInt8) -> UInt8 {
        digit <= UInt8(ascii: "9") ? digit &- UInt8(ascii: "0") : (digit | 0x20) &- UInt8(ascii: "a") &+ 10
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self | 0x20)
    }
}
