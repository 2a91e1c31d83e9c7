import Crypto
import Foundation
package import SmartContent
import Synchronization
public import SmartContentDomain

/// Access and refresh tokens.
///
/// Access tokens are JWTs (HS256, one hour) naming the user, their session and the
/// version of their credentials. Refresh tokens (30 days) are `<session>.<secret>`; the
/// engine's session store (`DATA/sessions`) keeps only a SHA-256 of the secret. A refresh
/// rotates the secret, so a refresh token works once, and presenting a spent one ends the
/// session (someone kept a copy); logout deletes the session, which
/// voids its access tokens at once; a password change bumps the credentials version,
/// which voids every token issued before it.
public final class TokenService: Sendable {
    public struct Pair: Encodable, Sendable {
        public var accessToken: String
        public var refreshToken: String
        public var tokenType = "Bearer"
        /// Seconds until the access token expires.
        public var expiresIn: Int
    }

    public struct Claims: Sendable, Codable, Hashable {
        /// The user.
        public var sub: String
        /// The session.
        public var sid: String
        /// The user's credentials version when issued.
        public var cv: Int
        public var iat: Int64
        public var exp: Int64
    }

    public static let accessLifetime: Int64 = 3600
    public static let refreshLifetime: Int64 = 30 * 24 * 3600

    let key: SymmetricKey
    let sessions: SessionStore
    let clock: @Sendable () -> Instant
    private let verified = Mutex<[String: Claims]>([:])

    /// Tokens signed with `secret`, whose sessions `sessions` keeps (an engine's).
    package init(
        sessions: SessionStore, secret: [UInt8],
        clock: @escaping @Sendable () -> Instant = { Instant(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000)) }
    ) {
        key = SymmetricKey(data: secret)
        self.sessions = sessions
        self.clock = clock
    }

    var nowSeconds: Int64 { clock().millisecondsSince1970 / 1000 }

    // MARK: Issuing

    /// Starts a session for `user`.
    public func issue(userId: UserID, credentialsVersion: Int) throws -> Pair {
        try issue(userId: userId.rawValue, credentialsVersion: credentialsVersion, session: Self.randomToken(bytes: 16))
    }

    private func issue(userId: String, credentialsVersion: Int, session: String) throws -> Pair {
        let secret = Self.randomToken(bytes: 32)
        let now = nowSeconds
        deleteExpiredSessions(now: now)
        let record = SessionStore.Session(userId: userId, secretHash: Array(SHA256.hash(data: Data(secret.utf8))),
                                          expiresAt: now + Self.refreshLifetime, credentialsVersion: credentialsVersion)
        try sessions.put(record, id: session)
        let claims = Claims(sub: userId, sid: session, cv: credentialsVersion, iat: now, exp: now + Self.accessLifetime)
        return Pair(accessToken: try sign(claims), refreshToken: session + "." + secret, expiresIn: Int(Self.accessLifetime))
    }

    /// Trades a refresh token for a new pair, once. `credentialsVersion` is the user's
    /// current one (nil when the user is gone): a token from before a password change fails.
    public func refresh(_ token: String, credentialsVersion: (UserID) async throws -> Int?) async throws -> Pair {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let stored = try session(String(parts[0])) else { throw Self.invalidRefresh }
        let sessionId = String(parts[0])
        let hash = Array(SHA256.hash(data: Data(parts[1].utf8)))
        guard Self.constantTimeEqual(hash, stored.secretHash) else {
            // A spent refresh token of a live session: someone kept a copy. End the session,
            // so neither the thief nor the client holds a working token any longer.
            try revoke(session: sessionId)
            throw Self.invalidRefresh
        }
        guard stored.expiresAt > nowSeconds,
              let user = UserID(rawValue: stored.userId), let current = try await credentialsVersion(user),
              current == stored.credentialsVersion
        else { throw Self.invalidRefresh }
        return try issue(userId: stored.userId, credentialsVersion: current, session: sessionId)
    }

    /// Deletes the sessions whose refresh tokens have expired, at most once an hour (and
    /// at the first session a server issues), so the store holds only sessions that can
    /// still be used. Housekeeping: a sweep that fails does not fail the login that ran
    /// it, and the next one an hour later tries again.
    private func deleteExpiredSessions(now: Int64) {
        let due = lastExpiredSweep.withLock { last in
            guard last.map({ now - $0 >= Self.expiredSweepInterval }) ?? true else { return false }
            last = now
            return true
        }
        if due { _ = try? sessions.deleteExpired(asOf: now) }
    }

    private let lastExpiredSweep = Mutex<Int64?>(nil)
    static let expiredSweepInterval: Int64 = 3600

    /// Ends the session: its refresh token and access tokens stop working.
    public func revoke(session: String) throws {
        try sessions.delete(session)
    }

    // MARK: Checking

    /// The claims of a valid, unexpired access token whose session is still open.
    public func verify(accessToken token: String) throws -> Claims {
        let claims = try verifiedClaims(token)
        guard claims.exp > nowSeconds else { throw Self.invalidAccess("the access token has expired; refresh it") }
        guard try sessionIsOpen(claims.sid) else { throw Self.invalidAccess("the session was closed; log in again") }
        return claims
    }

    /// The claims of a token whose signature checks out. Tokens are remembered once
    /// checked (a client sends the same one for an hour), so the common case is a lookup.
    private func verifiedClaims(_ token: String) throws -> Claims {
        if let known = verified.withLock({ $0[token] }) { return known }
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].elementsEqual(Self.header.utf8),
              let payload = Self.base64URLDecode(parts[1]),
              let signature = Self.base64URLDecode(parts[2]),
              HMAC<SHA256>.isValidAuthenticationCode(
                signature, authenticating: Array(token.utf8.prefix(parts[0].count + 1 + parts[1].count)), using: key),
              let claims = try? JSONDecoder().decode(Claims.self, from: Data(payload))
        else { throw Self.invalidAccess("the access token is malformed or its signature does not match") }
        verified.withLock { cache in
            if cache.count >= 10_000 { cache.removeAll(keepingCapacity: true) }
            cache[token] = claims
        }
        return claims
    }

    /// `{"alg":"HS256","typ":"JWT"}`, the only header this service signs or accepts.
    static let header = base64URLEncode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    func sign(_ claims: Claims) throws -> String {
        let header = Self.header
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let payload = Self.base64URLEncode(Array(try encoder.encode(claims)))
        let signingInput = header + "." + payload
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key)
        return signingInput + "." + Self.base64URLEncode(Array(signature))
    }

    // MARK: Storage

    /// Whether the session exists, without decoding it: the check of every request.
    private func sessionIsOpen(_ id: String) throws -> Bool {
        guard id.utf8.count == 32 else { return false }
        return try sessions.contains(id)
    }

    private func session(_ id: String) throws -> SessionStore.Session? {
        guard id.utf8.count == 32 else { return nil }
        return try sessions.session(id)
    }

    // MARK: Encoding

    static let invalidRefresh = APIError(.unauthorized, "UNAUTHORIZED", "the refresh token is invalid, used or expired")

    static func invalidAccess(_ message: String) -> APIError { APIError(.unauthorized, "UNAUTHORIZED", message) }

    static func randomToken(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return count == 16 ? bytes.map { String(format: "%02x", $0) }.joined() : base64URLEncode(bytes)
    }

    static func base64URLEncode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URLDecode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0, bits = 0
        for byte in text {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "_"): value = 63
            default: return nil
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return out
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
