#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeMutableRawBufferPointer {
    /// Writes the UTF-8 bytes of `string` at `offset`; returns how many.
    @inline(__always)
    func storeUTF8(_ string: String, at offset: Int) -> Int {
        var string = string
        return string.withUTF8 { source in
            UnsafeMutableRawBufferPointer(rebasing: self[offset..<offset + source.count])
                .copyMemory(from: UnsafeRawBufferPointer(source))
            return source.count
        }
    }
}

extension UnsafeRawBufferPointer {
    /// Whether the bytes begin with `prefix`, in one `memcmp`: `starts(with:)` walks both
    /// through iterators a byte at a time, and scans ask it once per row.
    public func hasPrefix(_ prefix: [UInt8]) -> Bool {
        guard count >= prefix.count else { return false }
        return prefix.withUnsafeBytes { prefix in
            prefix.isEmpty || memcmp(baseAddress!, prefix.baseAddress!, prefix.count) == 0
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends a literal's UTF-8 in one copy: `append(contentsOf: "…".utf8)` copies byte by
    /// byte, and replay writes a dozen literals per event.
    @inlinable
    public mutating func append(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `bytes` in one copy (`append(contentsOf:)` of raw bytes goes byte by byte;
    /// of typed ones, it copies the block).
    @inlinable
    public mutating func append(bytes: UnsafeRawBufferPointer) {
        append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// Appends a string's UTF-8 in one copy.
    @inlinable
    public mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends the bytes `write` puts in a scratch buffer of `capacity` bytes, returning
    /// how many it wrote: text of a bounded size (a number, a time, an id) costs one copy
    /// instead of an append per byte.
    @inlinable
    public mutating func append(capacity: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 1) { scratch in
            let count = write(scratch)
            append(bytes: UnsafeRawBufferPointer(rebasing: scratch[..<count]))
        }
    }
}
