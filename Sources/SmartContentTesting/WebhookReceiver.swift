public import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An HTTP/1.1 server on loopback that stands in for a channel or an integrator in your
/// tests: it records every request and answers as `respond` says, including the ways real
/// receivers fail (hanging, dropping the connection). Keeps connections alive.
///
/// ```swift
/// let receiver = try WebhookReceiver { request, count in count < 3 ? .status(503) : .status(200) }
/// // connect a channel to receiver.url, publish, then:
/// #expect(receiver.requests.count == 3)
/// receiver.stop()
/// ```
public final class WebhookReceiver: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: [UInt8]
        public var receivedAt: Date

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public enum Reply: Sendable {
        case status(Int, headers: [(String, String)] = [], body: String = "")
        /// Answers with `status` after `delay`: a receiver slow enough to be caught mid-delivery.
        case slow(Duration, status: Int)
        /// Answers nothing for this long, then drops the connection.
        case hang(Duration)
        /// Drops the connection without answering.
        case close
    }

    public let port: Int
    private let listener: Int32
    private let respond: @Sendable (Request, Int) -> Reply
    private struct State {
        var requests: [Request] = []
        var connections: Set<Int32> = []
        var stopped = false
    }
    private let state = Mutex(State())

    /// - Parameter respond: the answer to a request, given it and how many came before it.
    public init(respond: @escaping @Sendable (_ request: Request, _ earlier: Int) -> Reply = { _, _ in .status(200) }) throws {
        self.respond = respond
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 512) == 0 else {
            close(fd)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT/PATH`.
    public func url(_ path: String = "/hook") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Every request received so far, in order.
    public var requests: [Request] { state.withLock { $0.requests } }

    /// Stops accepting and drops every connection.
    public func stop() {
        // Once only: after the first stop the descriptors are closed, and the numbers may
        // already belong to other sockets of the process.
        state.withLock { state in
            guard !state.stopped else { return }
            state.stopped = true
            // Shut down under the lock: a connection thread closes its descriptor only
            // after taking itself out of the set.
            shutdown(listener, Int32(SHUT_RDWR))
            for connection in state.connections { shutdown(connection, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if state.withLock({ $0.stopped }) {
                    close(listener)
                    return
                }
                // EINTR, an aborted connection, out of descriptors for a moment: go on.
                Thread.sleep(forTimeInterval: 0.001)
                continue
            }
            var yes: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.connections.insert(connection)
                return true
            }
            guard accepted else {
                close(connection)
                continue
            }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ connection: Int32) {
        defer {
            state.withLock { _ = $0.connections.remove(connection) }
            close(connection)
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            // Headers, then the body its Content-Length announces.
            var headerEnd: Int?
            while headerEnd == nil {
                headerEnd = Self.find([13, 10, 13, 10], in: buffer)
                if headerEnd != nil { break }
                let count = read(connection, &chunk, chunk.count)
                guard count > 0 else { return }
                buffer.append(contentsOf: chunk[0..<count])
            }
            // Parsed over bytes: this receiver stands in for fast ones in the load tests.
            var headers: [String: String] = [:]
            var requestLine: [Substring] = []
            var lineStart = 0
            while lineStart < headerEnd! {
                var lineEnd = lineStart
                while lineEnd + 1 < headerEnd! + 2, !(buffer[lineEnd] == 13 && buffer[lineEnd + 1] == 10) { lineEnd += 1 }
                let line = buffer[lineStart..<lineEnd]
                if lineStart == 0 {
                    requestLine = String(decoding: line, as: UTF8.self).split(separator: " ")
                } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                    var valueStart = colon + 1
                    while valueStart < lineEnd, buffer[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
                    let name = String(decoding: line[lineStart..<colon].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
                    headers[name] = String(decoding: buffer[valueStart..<lineEnd], as: UTF8.self)
                }
                lineStart = lineEnd + 2
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let bodyStart = headerEnd! + 4
            while buffer.count < bodyStart + length {
                let count = read(connection, &chunk, chunk.count)
                guard count > 0 else { return }
                buffer.append(contentsOf: chunk[0..<count])
            }
            let request = Request(method: requestLine.first.map(String.init) ?? "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
                                  headers: headers, body: Array(buffer[bodyStart..<bodyStart + length]), receivedAt: Date())
            buffer.removeFirst(bodyStart + length)
            let earlier = state.withLock { state -> Int in
                state.requests.append(request)
                return state.requests.count - 1
            }
            var reply = respond(request, earlier)
            if case .slow(let delay, let status) = reply {
                Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
                reply = .status(status)
            }
            switch reply {
            case .slow:
                return
            case .status(let code, let extra, let body):
                var response = "HTTP/1.1 \(code) \(code < 300 ? "OK" : "Status")\r\nContent-Length: \(body.utf8.count)\r\n"
                response += "Content-Type: application/json\r\nConnection: keep-alive\r\n"
                for (name, value) in extra { response += "\(name): \(value)\r\n" }
                response += "\r\n" + body
                let bytes = Array(response.utf8)
                var sent = 0
                while sent < bytes.count {
                    let count = bytes[sent...].withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
                    guard count > 0 else { return }
                    sent += count
                }
            case .hang(let duration):
                Thread.sleep(forTimeInterval: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
                return
            case .close:
                return
            }
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return start }
        }
        return nil
    }
}
