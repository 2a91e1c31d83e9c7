import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Buffered writes to a file descriptor: replaying millions of events must not cost a
/// system call per line.
final class FileOutput {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int

    init(descriptor: Int32, capacity: Int = 1 << 16) {
        self.descriptor = descriptor
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    deinit { flush() }

    var isTerminal: Bool { isatty(descriptor) == 1 }

    /// Appends through `body`, flushing once the buffer is full.
    func write(_ body: (inout [UInt8]) throws -> Void) rethrows {
        try body(&buffer)
        if buffer.count >= capacity { flush() }
    }

    /// Writes `bytes` after what is buffered, large writes going straight to the descriptor.
    func write(bytes: [UInt8]) {
        if buffer.count + bytes.count <= capacity {
            buffer.append(contentsOf: bytes)
            return
        }
        flush()
        bytes.withUnsafeBytes(writeAll)
    }

    func write(_ text: String) {
        write { $0.append(contentsOf: text.utf8) }
    }

    func flush() {
        buffer.withUnsafeBytes(writeAll)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                // The reader went away (a closed pipe): stop quietly, as Unix tools do.
                exit(errno == EPIPE ? 0 : 5)
            }
            offset += written
        }
    }
}

/// Writes `text` to stderr at once, unbuffered.
func writeToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}

/// A line of progress on stderr, redrawn in place; silent unless stdout and stderr are
/// terminals. Commands whose stdout is their data (`replay`) show it only while that data
/// goes to a file or a pipe and stderr is a terminal: never in between the data's lines.
struct Progress {
    let enabled: Bool
    private var last: Double = 0
    private let start = now()

    init(besideData: Bool = false) {
        enabled = isatty(2) == 1 && (besideData ? isatty(1) == 0 : isatty(1) == 1)
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// `fraction` (0 to 1) gives the ETA when the total count is unknown, e.g. the part of
    /// an input file read so far.
    mutating func update(_ label: String, done: UInt64, total: UInt64?, fraction: Double? = nil) {
        guard enabled else { return }
        let t = Self.now()
        guard t - last >= 0.2 else { return }
        last = t
        let rate = Double(done) / max(t - start, 1e-6)
        var line = "\r\(label) \(done)"
        if let total, total > 0 {
            let eta = rate > 0 ? Double(total - min(done, total)) / rate : 0
            line += "/\(total) (\(Int(Double(done) * 100 / Double(total)))%), ETA \(Int(eta))s"
        } else if let fraction, fraction > 0 {
            let eta = (t - start) * (1 - min(fraction, 1)) / fraction
            line += " (\(Int(min(fraction, 1) * 100))% of the input), ETA \(Int(eta))s"
        }
        line += ", \(Int(rate)) events/s   "
        writeToStandardError(line)
    }

    /// For work counted in steps (environments, files) rather than events.
    mutating func step(_ label: String, done: Int, total: Int, _ detail: String) {
        guard enabled else { return }
        let elapsed = Self.now() - start
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        writeToStandardError("\r\u{1B}[K\(label) \(done)/\(total), ETA \(Int(eta))s: \(detail)")
    }

    func finish() {
        if enabled { writeToStandardError("\r\u{1B}[K") }
    }
}

/// Writes batches of rendered lines to a ``FileOutput`` on a thread of its own, so that
/// the next batch is read and rendered while this one is written; at most two batches
/// wait, so memory stays bounded.
final class BackgroundOutput: Sendable {
    private let queue = DispatchQueue(label: "smartcontent.output")
    /// Batches enqueued and not yet written, at most.
    static let maxPending = 2
    private let room = DispatchSemaphore(value: maxPending)
    // Only the queue touches the output between `enqueue` and `drain`, one job at a time;
    // its owner writes to it again only once `drain` has returned.
    private nonisolated(unsafe) let output: FileOutput

    init(_ output: FileOutput) { self.output = output }

    /// Writes `parts` in order after the batches enqueued before.
    func enqueue(_ parts: [[UInt8]]) {
        room.wait()
        queue.async { [self] in
            for part in parts { output.write(bytes: part) }
            room.signal()
        }
    }

    /// Returns once everything enqueued is written to the output (which may still buffer).
    func drain() { queue.sync {} }
}
