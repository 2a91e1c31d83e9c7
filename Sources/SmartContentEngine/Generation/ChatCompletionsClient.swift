import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// Posts conversations to a chat-completions endpoint through `URLSession` (libcurl on
/// Linux): a deadline per request, retries with exponential backoff and jitter on what
/// may pass (connection failures, timeouts, 408, 429, 5xx; `Retry-After` honoured), and
/// every failure turned into a ``GeneratorUnavailable`` whose message it writes itself.
final class ChatCompletionsClient: Sendable {
    let configuration: OpenAICompatibleGenerator.Configuration
    let session: URLSession

    init(_ configuration: OpenAICompatibleGenerator.Configuration) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        sessionConfiguration.httpCookieStorage = nil
        sessionConfiguration.urlCache = nil
        session = URLSession(configuration: sessionConfiguration, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    private struct Body: Encodable {
        var model: String
        var messages: [ChatMessage]
        var stream = false
        var seed: Int64?
    }

    /// The text of the first choice's message, and the requests it took.
    func complete(_ messages: [ChatMessage], seed: Int64?) async throws -> (text: String, attempts: Int) {
        let body: Data
        do {
            body = try JSONEncoder().encode(Body(model: configuration.model, messages: messages, seed: seed))
        } catch {
            preconditionFailure("strings and integers always encode: \(error)")
        }
        var attempt = 0
        while true {
            attempt += 1
            let outcome = try await send(body)
            let failure: GeneratorUnavailable
            let retryable: Bool
            switch outcome {
            case .answer(let data):
                return (try text(of: data, attempts: attempt), attempt)
            case .failed(let reason, let why):
                failure = GeneratorUnavailable(reason, why, provider: OpenAICompatibleGenerator.name, attempts: attempt)
                retryable = true
            case .status(let status, let data, let retryAfter):
                failure = GeneratorUnavailable(.httpStatus(status, retryAfter: retryAfter), message(status: status, body: data),
                                               provider: OpenAICompatibleGenerator.name, attempts: attempt)
                retryable = status == 408 || status == 429 || status >= 500
            }
            guard retryable, attempt < configuration.maxAttempts else { throw failure }
            let delay = failure.retryAfter ?? backoff(attempt: attempt)
            // Waiting longer than this would hold the caller's request open past reason:
            // the 503 carries the provider's Retry-After instead.
            guard delay <= configuration.maxRetryDelay else { throw failure }
            try await Task.sleep(for: delay)
        }
    }

    /// The delay before retry `attempt` (1 for the first): the backoff doubled each time,
    /// drawn between its half and itself so that many callers do not come back together.
    func backoff(attempt: Int) -> Duration {
        let full = configuration.backoff * (1 << min(attempt - 1, 16))
        return full * Double.random(in: 0.5...1)
    }

    enum Outcome: Sendable {
        case answer(Data)
        case status(Int, Data, retryAfter: Duration?)
        case failed(GeneratorUnavailable.Reason, String)
    }

    /// One request, bounded by the configured timeout.
    func send(_ body: Data) async throws -> Outcome {
        let request = request(body)
        let timeout = configuration.timeout
        let response = try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask { try await self.exchange(request) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return response ?? .failed(.timedOut, "\(configuration.displayEndpoint) did not answer within \(Self.describe(timeout))")
    }

    private func request(_ body: Data) -> URLRequest {
        var request = URLRequest(url: configuration.endpoint)
        request.httpMethod = "POST"
        request.httpBody = body
        // libcurl's own limit, a little later than ours: the deadline below is the one that counts.
        request.timeoutInterval = Double(configuration.timeout.components.seconds) + 1
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let key = configuration.apiKey { request.setValue("Bearer \(key.value)", forHTTPHeaderField: "Authorization") }
        return request
    }

    /// The exchange itself; cancelling the task cancels the transfer.
    private func exchange(_ request: URLRequest) async throws -> Outcome {
        let transfer = Transfer()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Outcome, any Error>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        let code = (error as? URLError)?.code
                        if code == .cancelled {
                            continuation.resume(throwing: CancellationError())
                        } else if code == .timedOut {
                            continuation.resume(returning: .failed(.timedOut, "\(self.configuration.displayEndpoint) timed out"))
                        } else {
                            continuation.resume(returning: .failed(.unreachable, self.unreachable(code)))
                        }
                        return
                    }
                    guard let http = response as? HTTPURLResponse else {
                        continuation.resume(returning: .failed(.unreachable, "\(self.configuration.displayEndpoint) answered no HTTP response"))
                        return
                    }
                    let data = data ?? Data()
                    if (200..<300).contains(http.statusCode) {
                        continuation.resume(returning: .answer(data))
                    } else {
                        let retryAfter = (http.value(forHTTPHeaderField: "Retry-After")).flatMap(Self.retryAfter)
                        continuation.resume(returning: .status(http.statusCode, data, retryAfter: retryAfter))
                    }
                }
                transfer.start(task)
            }
        } onCancel: {
            transfer.cancel()
        }
    }

    /// The data task of one exchange, cancelled even when cancellation comes before it starts.
    private final class Transfer: Sendable {
        private let state = Mutex<(task: URLSessionDataTask?, cancelled: Bool)>((nil, false))

        func start(_ task: URLSessionDataTask) {
            let cancelled = state.withLock { state in
                state.task = task
                return state.cancelled
            }
            task.resume()
            if cancelled { task.cancel() }
        }

        func cancel() {
            let task = state.withLock { state in
                state.cancelled = true
                return state.task
            }
            task?.cancel()
        }
    }

    // MARK: Reading answers

    private struct Completion: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message?
            /// The legacy completions field, which some servers still fill.
            var text: String?
        }
        var choices: [Choice]?
    }

    func text(of data: Data, attempts: Int) throws -> String {
        guard let completion = try? JSONDecoder().decode(Completion.self, from: data), completion.choices != nil else {
            if let message = Self.providerMessage(data) {
                throw unavailable(.malformedAnswer, "the provider answered an error instead of a completion: \(scrubbed(message))", attempts)
            }
            throw unavailable(.malformedAnswer, "the provider's answer is not a chat completion (\(excerpt(data)))", attempts)
        }
        guard let choice = completion.choices?.first else {
            throw unavailable(.malformedAnswer, "the provider's answer has no choices", attempts)
        }
        guard let text = choice.message?.content ?? choice.text,
              !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else { throw unavailable(.malformedAnswer, "the provider's answer has no text", attempts) }
        return text
    }

    /// A completion whose text is not a title and a body.
    func malformed(_ text: String, attempts: Int) -> GeneratorUnavailable {
        unavailable(.malformedAnswer, "the model's answer is not a title followed by a body (\(excerpt(Data(text.utf8))))",
                    attempts)
    }

    private func unavailable(_ reason: GeneratorUnavailable.Reason, _ message: String, _ attempts: Int) -> GeneratorUnavailable {
        GeneratorUnavailable(reason, message, provider: OpenAICompatibleGenerator.name, attempts: attempts)
    }

    func message(status: Int, body: Data) -> String {
        let endpoint = configuration.displayEndpoint
        switch status {
        case 401, 403:
            // The provider's own text may quote part of the key.
            return "\(endpoint) refused the request (HTTP \(status)): check SMARTCONTENT_GENERATOR_API_KEY"
        case 300..<400:
            return "\(endpoint) answered a redirect (HTTP \(status)), which is not followed because it would take the "
                + "API key along: set SMARTCONTENT_GENERATOR_URL to where it leads"
        case 404 where !endpoint.hasSuffix("/v1/chat/completions"):
            return "\(endpoint) answered HTTP 404: the base URL usually ends in /v1 (such as http://localhost:11434/v1)"
        default:
            let detail = Self.providerMessage(body).map { ": \(scrubbed($0))" } ?? ""
            return "\(endpoint) answered HTTP \(status)\(detail)"
        }
    }

    /// The provider's error text: `{"error": {"message": …}}` (OpenAI), `{"error": "…"}` (Ollama).
    static func providerMessage(_ data: Data) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        let text = ((object["error"] as? [String: Any])?["message"] as? String) ?? (object["error"] as? String)
            ?? (object["message"] as? String)
        return text.map { String($0.prefix(300)) }
    }

    /// `text` without the API key, should a provider echo it.
    func scrubbed(_ text: String) -> String {
        guard let key = configuration.apiKey?.value, !key.isEmpty else { return text }
        return text.replacingOccurrences(of: key, with: "[redacted]")
    }

    /// The start of an answer, for a message: one line, the key scrubbed.
    func excerpt(_ data: Data) -> String {
        guard !data.isEmpty else { return "empty" }
        let text = scrubbed(String(decoding: data.prefix(120), as: UTF8.self)
            .unicodeScalars.map { $0.properties.generalCategory == .control ? " " : String($0) }.joined())
        return "begins \"\(text)\(data.count > 120 ? "…" : "")\""
    }

    func unreachable(_ code: URLError.Code?) -> String {
        let endpoint = configuration.displayEndpoint
        let why = switch code {
        case .cannotConnectToHost?: "refused the connection"
        case .cannotFindHost?, .dnsLookupFailed?: "has a host name that does not resolve"
        case .networkConnectionLost?: "closed the connection before answering"
        case .secureConnectionFailed?, .serverCertificateUntrusted?, .serverCertificateHasBadDate?,
             .serverCertificateNotYetValid?, .serverCertificateHasUnknownRoot?:
            "failed the TLS handshake"
        case .badServerResponse?: "answered something that is not HTTP"
        case .notConnectedToInternet?: "cannot be reached: no network"
        case let code?: "cannot be reached (URL error \(code.rawValue))"
        case nil: "cannot be reached"
        }
        return "\(endpoint) \(why)"
    }

    /// `Retry-After` in seconds or as an HTTP date.
    static func retryAfter(_ value: String) -> Duration? {
        if let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds.isFinite, seconds >= 0 {
            return .milliseconds(Int64(min(seconds, 86_400) * 1000))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int64(max(0, min(date.timeIntervalSinceNow, 86_400)) * 1000))
    }

    static func describe(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}

/// Refuses every redirect, so that the 3xx itself is the answer: URLSession would follow
/// one to any host with the `Authorization` header, that is, the API key.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
