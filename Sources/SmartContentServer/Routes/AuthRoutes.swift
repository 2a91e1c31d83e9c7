import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension SmartContentAPI {
    struct RegisterBody: Decodable {
        var email: String
        var password: String
        var name: String
    }

    struct LoginBody: Decodable {
        var email: String
        var password: String
    }

    struct RefreshBody: Decodable {
        var refreshToken: String
    }

    /// register, login, refresh (no token needed) and logout.
    func addAuthRoutes(to v1: RouterGroup<APIContext>) {
        let auth = v1.group("auth")
        auth.post("register") { request, context -> Response in
            let body = try await request.decode(as: RegisterBody.self, context: context)
            let registered = try await engine.register(email: body.email, password: body.password, name: body.name)
            return try context.respond(registered.value, status: .created, position: registered.position)
        }
        auth.post("login") { request, context -> Response in
            let body = try await request.decode(as: LoginBody.self, context: context)
            let user = try await engine.authenticate(email: body.email, password: body.password, ipAddress: context.peerAddress)
            return try context.respond(try tokens.issue(userId: user.userId, credentialsVersion: user.credentialsVersion))
        }
        auth.post("refresh") { request, context -> Response in
            let body = try await request.decode(as: RefreshBody.self, context: context)
            let pair = try await tokens.refresh(body.refreshToken) { user in
                try await engine.readNow(UserProjection.self) { queries in
                    guard let record = try queries.user(user), !record.isErased else { return nil }
                    return record.credentialsVersion
                }
            }
            return try context.respond(pair)
        }
        auth.add(middleware: AuthMiddleware(engine: engine, tokens: tokens, limiter: userLimiter, positions: sessionPositions))
            .post("logout") { _, context -> Response in
                if let session = context.sessionId { try tokens.revoke(session: session) }
                return context.noContent(position: nil)
            }
    }
}
