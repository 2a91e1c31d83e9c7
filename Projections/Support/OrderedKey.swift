#if canImport(Glibc)
import Glibc
#endif
/// Builds table keys whose byte order is the order queries want: strings end with a 0
/// byte (so `a` sorts before `ab`), integers are big-endian, and `descending` values are
/// inverted so the newest comes first.
public struct OrderedKey: Sendable, Hashable {
    public private(set) var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(48) }

    public init(_ parts: String...) {
        self.init()
        for part in parts { append(part) }
    }

    @discardableResult
    public mutating func append(_ string: String) -> Self {
        bytes.append(contentsOf: string.utf8)
        bytes.append(0)
        return self
    }

    public mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Signed values keep their order: the sign bit is flipped.
    public mutating func append(_ value: Int64) {
        append(UInt64(bitPattern: value) ^ (1 << 63))
    }

    public mutating func appendDescending(_ value: Int64) {
        append(~(UInt64(bitPattern: value) ^ (1 << 63)))
    }

    public mutating func append(_ byte: UInt8) { bytes.append(byte) }

    /// `(a, b)` → `(b, a)`, for a key made of two strings: a reverse index's key.
    func swappingFirstTwoParts() -> OrderedKey {
        var swapped = OrderedKey()
        guard let end = bytes.firstIndex(of: 0) else { return self }
        swapped.bytes.append(contentsOf: bytes[(end + 1)...])
        swapped.bytes.append(contentsOf: bytes[...end])
        return swapped
    }

    /// The indices of `keys` in key order, equal keys in the order given. Compares the first 24 bytes as three integers
    /// (zero-padded) and the rest byte by byte only for longer keys that tie: sorting the
    /// keys themselves spends most of its time retaining and moving arrays.
    static func sortedIndices(_ keys: [OrderedKey]) -> [Int] {
        struct Entry {
            var prefix: (UInt64, UInt64, UInt64)
            var count: Int32
            var index: Int32
        }
        var entries = keys.indices.map { index in
            keys[index].bytes.withUnsafeBytes { bytes in
                var prefix = (UInt64(0), UInt64(0), UInt64(0))
                withUnsafeMutableBytes(of: &prefix) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(24))) }
                return Entry(prefix: (UInt64(bigEndian: prefix.0), UInt64(bigEndian: prefix.1), UInt64(bigEndian: prefix.2)),
                             count: Int32(bytes.count), index: Int32(index))
            }
        }
        entries.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            // Equal padded prefixes of short keys: the shorter key is a prefix of the other.
            let order = a.count <= 24 || b.count <= 24 ? Int(a.count) - Int(b.count)
                : compare(keys[Int(a.index)].bytes, keys[Int(b.index)].bytes)
            // Equal keys keep the order they were given in.
            return order != 0 ? order < 0 : a.index < b.index
        }
        return entries.map { Int($0.index) }
    }

    func sorts(after other: [UInt8]) -> Bool { Self.compare(bytes, other) > 0 }

    @inline(__always)
    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                let common = min(a.count, b.count)
                if common > 0 {
                    let order = memcmp(a.baseAddress!, b.baseAddress!, common)
                    if order != 0 { return Int(order) }
                }
                return a.count - b.count
            }
        }
    }
}

/// Reads the parts of an ``OrderedKey`` back.
public struct OrderedKeyReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public mutating func string() -> String {
        var end = offset
        while end < bytes.count && bytes[end] != 0 { end += 1 }
        defer { offset = min(end + 1, bytes.count) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
    }

    public mutating func uint64() -> UInt64 {
        guard offset + 8 <= bytes.count else { return 0 }
        defer { offset += 8 }
        return UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    public mutating func int64() -> Int64 { Int64(bitPattern: uint64() ^ (1 << 63)) }
}
