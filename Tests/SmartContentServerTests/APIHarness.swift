import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SmartContent
import SmartContentServer
import SmartContentTesting
import Testing

/// A response, with its envelope parsed.
struct APIResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String

    var json: JSONValue { (try? JSONValue(parsing: text)) ?? .null }
    var data: JSONValue { json["data"] ?? .null }
    var errorCode: String? { json["error"]?["code"]?.stringValue }
    var errorField: String? { json["error"]?["details"]?["field"]?.stringValue }
    var position: UInt64? { headers[HTTPField.Name("X-Log-Position")!].flatMap(UInt64.init) }
}

/// A client of the router under test that knows the caller's token.
struct APIClient {
    let client: any TestClientProtocol

    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json body: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> APIResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers,
                                        body: body.map { ByteBuffer(string: $0) }) { response in
            APIResponse(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    /// Registers and logs in; returns the access token, refresh token and ids.
    func user(_ email: String, name: String = "Test User") async throws -> (token: String, refresh: String, userId: String, workspaceId: String) {
        let registered = try await call(.post, "/v1/auth/register",
                                        json: #"{"email":"\#(email)","password":"\#(TestEngine.password)","name":"\#(name)"}"#)
        #expect(registered.status == .created, "\(registered.text)")
        let login = try await call(.post, "/v1/auth/login", json: #"{"email":"\#(email)","password":"\#(TestEngine.password)"}"#)
        #expect(login.status == .ok, "\(login.text)")
        return (login.data["accessToken"]?.stringValue ?? "", login.data["refreshToken"]?.stringValue ?? "",
                registered.data["userId"]?.stringValue ?? "", registered.data["workspaceId"]?.stringValue ?? "")
    }
}

extension APIClient {
    /// Registers `email` and makes them a member of `owner`'s workspace with `role`.
    func member(_ email: String, of owner: (token: String, refresh: String, userId: String, workspaceId: String),
                role: String) async throws -> (token: String, refresh: String, userId: String, workspaceId: String) {
        let user = try await user(email)
        let added = try await call(.post, "/v1/workspaces/\(owner.workspaceId)/members", token: owner.token,
                                   json: #"{"email":"\#(email)","role":"\#(role)"}"#)
        #expect(added.status == .created, "\(added.text)")
        return user
    }
}

/// Runs `body` against the router of an API over a fresh test engine (or, with `.live`,
/// against the API served over HTTP on loopback).
func withAPI(
    rateLimitPerUser: Int = 0, rateLimitPerIP: Int = 0, generator: any ContentGenerator = OfflineContentGenerator(),
    setup: TestingSetup = .router,
    _ body: @escaping @Sendable (APIClient, TestEngine, SmartContentAPI) async throws -> Void
) async throws {
    let test = try TestEngine(generator: generator)
    var configuration = SmartContentAPI.Configuration()
    configuration.jwtSecret = Array("a test secret of at least 32 bytes!!".utf8)
    configuration.rateLimitPerUser = rateLimitPerUser
    configuration.rateLimitPerIP = rateLimitPerIP
    configuration.clock = { test.now }
    let api = try SmartContentAPI(engine: test.engine, configuration: configuration)
    let app = Application(router: api.router())
    do {
        try await app.test(setup) { client in try await body(APIClient(client: client), test, api) }
    } catch {
        await test.close()
        throw error
    }
    await test.close()
}

extension JSONValue {
    var count: Int? {
        switch self {
        case .array(let items): items.count
        case .object(let fields): fields.count
        default: nil
        }
    }

    subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }
}
