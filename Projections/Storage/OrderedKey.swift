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

    /// Starts over, keeping the buffer: one key rebuilt for every row of a batch.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Appends `(b, a)` for the key `(a, b)` made of two strings: a reverse index's key.
    mutating func appendSwappingFirstTwoParts(of key: UnsafeRawBufferPointer) {
        guard let end = key.firstIndex(of: 0) else {
            bytes.append(contentsOf: key)
            return
        }
        bytes.append(contentsOf: key[(end + 1)...])
        bytes.append(contentsOf: key[...end])
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

    public mutating func uint8() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }
}
