#if canImport(Glibc)
import Glibc
#endif

/// Reads a file descriptor line by line in large blocks, without Foundation.
struct LineReader {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var endOfFile = false
    private(set) var lineNumber = 0
    /// Bytes read from the descriptor so far, and its size when it is a regular file:
    /// how far along an import is.
    private(set) var bytesRead = 0
    let size: Int?

    init(descriptor: Int32) {
        self.descriptor = descriptor
        var status = stat()
        size = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG ? Int(status.st_size) : nil
    }

    /// The part of a regular file read so far, from 0 to 1; `nil` for a pipe.
    var fractionRead: Double? { size.map { $0 > 0 ? Double(bytesRead) / Double($0) : 1 } }

    /// Opens `path`, or stdin for `-`.
    init(path: String) throws {
        if path == "-" {
            self.init(descriptor: 0)
            return
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CommandFailure(.invalidInput, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        self.init(descriptor: fd)
    }

    func close() { if descriptor > 2 { Glibc.close(descriptor) } }

    /// The next line without its newline (and without a trailing CR), or `nil` at the end.
    mutating func next() throws -> ArraySlice<UInt8>? {
        while true {
            let newline = buffer.withUnsafeBytes { bytes -> Int? in
                guard start < bytes.count, let found = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start) else { return nil }
                return bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
            }
            if let newline {
                var line = buffer[start..<newline]
                start = newline + 1
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                lineNumber += 1
                return line
            }
            if endOfFile {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                lineNumber += 1
                return line
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let chunk = 1 << 20
            let oldCount = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: chunk))
            let count = buffer[oldCount...].withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunk) }
            guard count >= 0 else {
                throw CommandFailure(.invalidInput, "cannot read input: \(String(cString: strerror(errno)))")
            }
            buffer.removeLast(chunk - count)
            bytesRead += count
            if count == 0 { endOfFile = true }
        }
    }
}
