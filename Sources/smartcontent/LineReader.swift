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

    init(descriptor: Int32) { self.descriptor = descriptor }

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
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
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
            if count == 0 { endOfFile = true }
        }
    }
}
