import Crypto
import Foundation
import SmartContentDomain
#if canImport(Glibc)
import Glibc
#endif

/// An import file's lines between its two passes: the first pass parses and checks every
/// line and spools it in binary, the second appends from the spool without parsing JSON
/// again. The spool is a file in the data directory with no name (unlinked once created,
/// so nothing of it outlives the command), its chunks sealed under a key only this process
/// holds, since the lines carry personal data in clear.
final class ImportSpool {
    private let descriptor: Int32
    /// For sealing and opening chunks on other threads.
    let key = SymmetricKey(size: .bits256)
    private var bytesWritten = 0
    private var bytesRead = 0

    init(in directory: String) throws {
        var template = Array("\(directory)/.import-spool-XXXXXX".utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw CommandFailure(.store, "cannot make the import's spool in \(directory): \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    deinit { close(descriptor) }

    /// The part of the spool read back so far, from 0 to 1.
    var fractionRead: Double { bytesWritten > 0 ? Double(bytesRead) / Double(bytesWritten) : 1 }

    /// `lines` (with their line numbers) sealed for ``append(_:)``.
    static func seal(_ lines: [EventCatalog.ImportLine], numbers: [Int], with key: SymmetricKey) throws -> Data {
        var writer = BinaryWriter(capacity: lines.count * 160)
        writer.writeVarint(UInt64(lines.count))
        for (line, number) in zip(lines, numbers) {
            writer.writeVarint(UInt64(number))
            line.spool(to: &writer)
        }
        return try AES.GCM.seal(writer.bytes, using: key).combined!
    }

    /// The lines and line numbers of a chunk ``seal(_:numbers:with:)`` sealed.
    static func open(_ sealed: Data, with key: SymmetricKey) throws -> (lines: [EventCatalog.ImportLine], numbers: [Int]) {
        let plain = try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key)
        return try plain.withUnsafeBytes { bytes in
            var reader = BinaryReader(bytes)
            let count = Int(clamping: try reader.readVarint())
            var lines: [EventCatalog.ImportLine] = []
            var numbers: [Int] = []
            lines.reserveCapacity(count)
            numbers.reserveCapacity(count)
            for _ in 0..<count {
                numbers.append(Int(clamping: try reader.readVarint()))
                lines.append(try EventCatalog.ImportLine(spooled: &reader))
            }
            return (lines, numbers)
        }
    }

    /// Adds a sealed chunk at the end.
    func append(_ sealed: Data) throws {
        var length = UInt64(sealed.count).littleEndian
        try withUnsafeBytes(of: &length) { try writeBytes($0) }
        try sealed.withUnsafeBytes { try writeBytes($0) }
    }

    /// The next sealed chunk, in the order appended; `nil` after the last.
    func next() throws -> Data? {
        guard bytesRead < bytesWritten else { return nil }
        var length: UInt64 = 0
        try withUnsafeMutableBytes(of: &length) { try readBytes(into: $0) }
        let count = UInt64(littleEndian: length)
        guard count <= UInt64(bytesWritten - bytesRead) else {
            throw CommandFailure(.store, "the import's spool does not read back: a chunk of \(count) bytes past its end")
        }
        var sealed = Data(count: Int(count))
        try sealed.withUnsafeMutableBytes { try readBytes(into: $0) }
        return sealed
    }

    private func writeBytes(_ bytes: UnsafeRawBufferPointer) throws {
        bytesWritten += try transfer(bytes.count, "cannot write the import's spool in the data directory") { done in
            pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(bytesWritten + done))
        }
    }

    private func readBytes(into bytes: UnsafeMutableRawBufferPointer) throws {
        bytesRead += try transfer(bytes.count, "cannot read the import's spool back") { done in
            pread(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(bytesRead + done))
        }
    }

    /// Calls `step` with the bytes done so far until `count` are, retrying interruptions.
    private func transfer(_ count: Int, _ failure: String, _ step: (Int) -> Int) throws -> Int {
        var done = 0
        while done < count {
            let moved = step(done)
            if moved < 0, errno == EINTR { continue }
            guard moved > 0 else {
                throw CommandFailure(.store, "\(failure): \(moved == 0 ? "it ended early" : String(cString: strerror(errno)))")
            }
            done += moved
        }
        return done
    }
}
