import HTTPTypes
public import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

/// Authenticates `Authorization: Bearer <access token>` and sets the caller as an
/// ``Actor`` in their own workspace, or in the one `X-Workspace-Id` names if they belong
/// to it (any other id answers 404, exactly as an absent workspace). Then applies the
/// per-user rate limit, and makes the session read its own writes: the position each
/// response wrote (`X-Log-Position`) is remembered for the session, and its later reads
/// wait for it.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = APIContext
    let engine: SmartContentEngine
    let tokens: TokenService
    let limiter: RateLimiter
    let positions: SessionPositions

    init(engine: SmartContentEngine, tokens: TokenService, limiter: RateLimiter, positions: SessionPositions) {
        self.engine = engine
        self.tokens = tokens
        self.limiter = limiter
        self.positions = positions
    }

    public func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        // The scheme is case-insensitive (RFC 9110); the token follows one space.
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw APIError(.unauthorized, "UNAUTHORIZED", "a bearer token is required (Authorization: Bearer <accessToken>)")
        }
        let claims = try tokens.verify(accessToken: String(header.dropFirst(7)))
        guard let userId = UserID(rawValue: claims.sub) else { throw TokenService.invalidAccess("the token names no user") }
        // An empty header names no workspace: the caller's own, as without one.
        let requested = request.headers[.workspaceId].flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        if let requested, WorkspaceID(rawValue: requested) == nil { throw APIError.notFound("Workspace", requested) }
        // The caller's role as of the position the client names, if it names one: a member
        // removed (or a password changed) there is out from there on. Waiting for the
        // session's own last write too would hold every write behind the users' fold.
        let sessionPosition = positions.position(of: claims.sid)
        let actor = try await engine.readNow(UserProjection.self, atLeast: try request.minPosition()) { queries -> Actor in
            guard let user = try queries.user(userId), !user.isErased, user.credentialsVersion == claims.cv else {
                throw TokenService.invalidAccess("the token was revoked (password changed or account erased); log in again")
            }
            let workspace = requested.flatMap(WorkspaceID.init(rawValue:)) ?? user.workspaceId
            guard let role = try queries.role(of: userId, in: workspace) else {
                throw APIError.notFound("Workspace", workspace.rawValue)
            }
            return Actor(userId: userId, workspaceId: workspace, role: role)
        }
        if let wait = limiter.take(userId.rawValue) { throw APIError.rateLimited("user", retryAfter: wait) }
        var context = context
        context.actor = actor
        context.sessionId = claims.sid
        context.sessionPosition = sessionPosition
        let response = try await next(request, context)
        if let written = response.headers[.logPosition].flatMap(UInt64.init) {
            positions.record(written, for: claims.sid) {
                engine.projections.status().map(\.checkpoint).min() ?? 0
            }
        }
        return response
    }
}
