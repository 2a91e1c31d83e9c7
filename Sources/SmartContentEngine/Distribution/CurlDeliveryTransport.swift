import CDeliveryClient
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Deliveries over libcurl's multi interface: one thread of its own drives every attempt
/// on kept-alive connections (at most `connectionsPerHost` to one receiver), so thousands
/// of deliveries a second cost no thread each. Never follows redirects: a delivery's
/// signature is for the URL the channel named.
public final class CurlDeliveryTransport: DeliveryTransport {
    /// The C client is thread-safe (its queue is behind a mutex, and only its own thread
    /// touches curl's handles), and this class frees it once, in `deinit`.
    private nonisolated(unsafe) let client: OpaquePointer

    /// - Throws: ``DeliveryTransportError`` when curl or its thread cannot be set up.
    public init(connectionsPerHost: Int = 16) throws(DeliveryTransportError) {
        guard let client = sc_client_create(connectionsPerHost) else {
            throw DeliveryTransportError(.other, "libcurl could not be set up")
        }
        self.client = client
    }

    deinit { sc_client_destroy(client) }

    private typealias Continuation = CheckedContinuation<Result<DeliveryResponse, DeliveryTransportError>, Never>

    public func send(_ delivery: DeliveryRequest) async throws(DeliveryTransportError) -> DeliveryResponse {
        let headerLines = delivery.headers.map { "\($0.name): \($0.value)" }
        let timeout = max(Int(delivery.timeout.components.seconds * 1000 + delivery.timeout.components.attoseconds / 1_000_000_000_000_000), 1)
        let result: Result<DeliveryResponse, DeliveryTransportError> = await withCheckedContinuation { (continuation: Continuation) in
            let context = Unmanaged.passRetained(Box(continuation)).toOpaque()
            let queued = withCStrings(headerLines) { headers in
                delivery.body.withUnsafeBytes { body in
                    sc_client_post(client, delivery.url, headers.baseAddress, headers.count, body.baseAddress, body.count,
                                   timeout, max(delivery.maxResponseBytes, 0), context, { context, response in
                        let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
                        box.continuation.resume(returning: CurlDeliveryTransport.result(of: response!.pointee))
                    })
                }
            }
            if queued != 0 {
                Unmanaged<Box>.fromOpaque(context).release()
                continuation.resume(returning: .failure(DeliveryTransportError(.other, "the delivery client is shutting down")))
            }
        }
        return try result.get()
    }

    private final class Box: Sendable {
        let continuation: Continuation
        init(_ continuation: Continuation) { self.continuation = continuation }
    }

    private static func result(of response: sc_response) -> Result<DeliveryResponse, DeliveryTransportError> {
        if let error = response.error {
            let message = String(cString: error)
            switch response.error_kind {
            case 1: return .failure(DeliveryTransportError(.timedOut, "timed out"))
            case 2: return .failure(DeliveryTransportError(.connectionFailed, "connection failed: \(message)"))
            case 3: return .failure(DeliveryTransportError(.invalidURL, "invalid URL: \(message)"))
            default: return .failure(DeliveryTransportError(.other, message))
            }
        }
        let body = response.body.map { pointer in
            Array(UnsafeRawBufferPointer(start: pointer, count: response.body_length))
        } ?? []
        return .success(DeliveryResponse(statusCode: response.status, retryAfter: response.retry_after.map { String(cString: $0) },
                                         body: body))
    }
}

/// `strings` as an array of C strings, valid during `body`.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> R) -> R {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = duplicates.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer(body)
}
