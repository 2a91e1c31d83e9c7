import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Deliveries over Foundation's `URLSession`, which is libcurl on Linux: connections to a
/// receiver are kept alive and reused across deliveries.
public final class URLSessionDeliveryTransport: DeliveryTransport {
    private let session: URLSession

    /// - Parameter maxConnectionsPerHost: connections kept to one receiver host.
    /// One for the rare requests made outside a distributor (a channel's driver reading
    /// its network's limits at connection).
    public static let shared = URLSessionDeliveryTransport(maxConnectionsPerHost: 4)

    public init(maxConnectionsPerHost: Int = 16) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    public func send(_ delivery: DeliveryRequest) async throws(DeliveryTransportError) -> DeliveryResponse {
        guard let url = URL(string: delivery.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else { throw DeliveryTransportError(.invalidURL, "invalid URL \(delivery.url)") }
        var request = URLRequest(url: url)
        request.httpMethod = delivery.method
        // Foundation on Linux truncates the interval to whole seconds (300 ms would time out
        // at once): its own timeout is only a backstop behind the precise one below.
        request.timeoutInterval = Double(delivery.timeout.components.seconds + 2)
        for header in delivery.headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
        if !delivery.body.isEmpty { request.httpBody = Data(delivery.body) }
        let keep = delivery.maxResponseBytes
        let outcome = Outcome()
        let result: Result<DeliveryResponse, DeliveryTransportError> = await withCheckedContinuation { continuation in
            outcome.continuation = continuation
            let task = session.dataTask(with: request) { data, response, error in
                if let error {
                    outcome.finish(.failure(Self.transportError(error)))
                } else if let http = response as? HTTPURLResponse {
                    outcome.finish(.success(DeliveryResponse(
                        statusCode: http.statusCode, retryAfter: http.value(forHTTPHeaderField: "Retry-After"),
                        body: Array((data ?? Data()).prefix(keep)))))
                } else {
                    outcome.finish(.failure(DeliveryTransportError(.other, "no HTTP response")))
                }
            }
            let timeout = delivery.timeout
            Task {
                try? await Task.sleep(for: timeout)
                if outcome.finish(.failure(DeliveryTransportError(.timedOut, "timed out"))) { task.cancel() }
            }
            task.resume()
        }
        return try result.get()
    }

    /// Whichever comes first, the answer or the timeout, resumes the waiting attempt.
    private final class Outcome: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<Result<DeliveryResponse, DeliveryTransportError>, Never>?,
                                   done: Bool)>((nil, false))

        var continuation: CheckedContinuation<Result<DeliveryResponse, DeliveryTransportError>, Never>? {
            get { state.withLock { $0.continuation } }
            set { state.withLock { $0.continuation = newValue } }
        }

        /// Resumes with `result` unless it was already resumed; true when this call did.
        @discardableResult
        func finish(_ result: Result<DeliveryResponse, DeliveryTransportError>) -> Bool {
            let continuation = state.withLock { state -> CheckedContinuation<Result<DeliveryResponse, DeliveryTransportError>, Never>? in
                guard !state.done, let continuation = state.continuation else { return nil }
                state.done = true
                return continuation
            }
            continuation?.resume(returning: result)
            return continuation != nil
        }
    }

    private static func transportError(_ error: any Error) -> DeliveryTransportError {
        let nsError = error as NSError
        guard nsError.domain == NSURLErrorDomain else { return DeliveryTransportError(.other, "\(error)") }
        switch nsError.code {
        case NSURLErrorTimedOut:
            return DeliveryTransportError(.timedOut, "timed out")
        case NSURLErrorCannotConnectToHost, NSURLErrorNetworkConnectionLost, NSURLErrorCannotFindHost,
             NSURLErrorNotConnectedToInternet, NSURLErrorDNSLookupFailed:
            return DeliveryTransportError(.connectionFailed, "connection failed: \(nsError.localizedDescription)")
        case NSURLErrorBadServerResponse:
            return DeliveryTransportError(.connectionFailed, "connection closed without a valid response")
        default:
            return DeliveryTransportError(.other, nsError.localizedDescription)
        }
    }
}
