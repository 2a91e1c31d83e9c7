import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An OpenAI-compatible chat-completions server on loopback, for the generator's tests: it
/// answers `POST /v1/chat/completions` with the replies it was given, in order (the last
/// one again once they run out), and records what it received.
final class FakeChatCompletionsServer: Sendable {
    enum Reply: Sendable {
        /// 200 with a chat completion whose message is `text`.
        case completion(String)
        /// Any status and body, with headers.
        case raw(status: Int, body: String, headers: [String: String] = [:])
        /// No answer at all, until the test is over.
        case hang
    }

    /// A request as the server read it.
    struct Received: Sendable {
        var authorization: String?
        var body: JSONValue

        var messages: [(role: String, content: String)] {
            guard case .array(let items)? = body["messages"] else { return [] }
            return items.map { ($0["role"]?.stringValue ?? "", $0["content"]?.stringValue ?? "") }
        }
    }

    private let state: Mutex<(replies: [Reply], received: [Received], released: Bool)>
    /// The API's base URL, with `/v1`, as `SMARTCONTENT_GENERATOR_URL` would give it.
    let baseURL: URL

    private init(_ replies: [Reply], port: Int) {
        state = Mutex((replies, [], false))
        baseURL = URL(string: "http://127.0.0.1:\(port)/v1")!
    }

    var received: [Received] { state.withLock { $0.received } }

    /// Runs `body` with a server that answers `replies`, and stops it afterwards.
    static func with<T: Sendable>(
        _ replies: [Reply], _ body: @Sendable (FakeChatCompletionsServer) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let box = Mutex<FakeChatCompletionsServer?>(nil)
        let router = Router()
        router.post("v1/chat/completions") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 22)
            guard let server = box.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            return try await server.answer(authorization: request.headers[.authorization], body: Array(buffer: bytes))
        }
        var logger = Logger(label: "fake-chat-completions")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  portContinuation.yield(channel.localAddress?.port ?? 0)
                                  portContinuation.finish()
                              }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw CancellationError()
            }
            let server = FakeChatCompletionsServer(replies, port: port)
            box.withLock { $0 = server }
            defer {
                server.state.withLock { $0.released = true }
                group.cancelAll()
            }
            return try await body(server)
        }
    }

    private func answer(authorization: String?, body: [UInt8]) async throws -> Response {
        let reply = state.withLock { state -> Reply in
            state.received.append(Received(authorization: authorization, body: (try? JSONValue(parsing: body)) ?? .null))
            return state.replies.count > 1 ? state.replies.removeFirst() : state.replies.first ?? .hang
        }
        switch reply {
        case .completion(let text):
            let escaped = String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
            return Self.response(200, #"""
                {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"fake",
                 "choices":[{"index":0,"message":{"role":"assistant","content":\#(escaped)},"finish_reason":"stop"}]}
                """#)
        case .raw(let status, let body, let headers):
            var response = Self.response(status, body)
            for (name, value) in headers { response.headers[HTTPField.Name(name)!] = value }
            return response
        case .hang:
            // Until the test is over, with a bound in case it never says so.
            let deadline = ContinuousClock.now + .seconds(30)
            while !state.withLock({ $0.released }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            return Self.response(200, "{}")
        }
    }

    private static func response(_ status: Int, _ body: String) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// A body of `words` words after a title line, as the prompt asks.
    static func article(title: String = "A Fine Title", words: Int) -> String {
        let text = (0..<words).map { index in index % 12 == 11 ? "word." : "word" }.joined(separator: " ")
        return "\(title)\n\n\(text)"
    }
}
