import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The key of access tokens: `SMARTCONTENT_JWT_SECRET` when set, else 32 random bytes made
/// once and kept in `DATA/jwt-secret` (mode 0600), so tokens survive restarts.
public enum JWTSecret {
    public static func load(dataDirectory: String) throws -> [UInt8] {
        try load(dataDirectory: dataDirectory, environment: ProcessInfo.processInfo.environment)
    }

    static func load(dataDirectory: String, environment: [String: String]) throws -> [UInt8] {
        if let secret = environment["SMARTCONTENT_JWT_SECRET"], !secret.isEmpty { return Array(secret.utf8) }
        let path = dataDirectory + "/jwt-secret"
        if let existing = FileManager.default.contents(atPath: path), existing.count >= 32 { return Array(existing) }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // O_EXCL: when two processes race, one file wins and both read it back.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            _ = secret.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            fsync(fd)
            close(fd)
        }
        guard let stored = FileManager.default.contents(atPath: path), stored.count >= 32 else {
            throw APIError(.internalServerError, "INTERNAL", "cannot keep the JWT secret in \(path)")
        }
        return Array(stored)
    }
}
