/// Writes text into memory reserved for all of it, with no check per byte: the wire lines
/// `replay` renders by the million cost an `Array` append (a uniqueness and a capacity
/// check) per field otherwise. Whoever makes one reserves room for the most it can write
/// (``Swift/Array/append(reserving:_:)``); every method says how many bytes it may write.
public struct RawTextWriter {
    @usableFromInline let base: UnsafeMutablePointer<UInt8>
    @usableFromInline var _count = 0
    /// The bytes written so far.
    public var count: Int { _count }

    @inlinable
    init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
    }

    /// One byte.
    @inlinable
    public mutating func write(_ byte: UInt8) {
        base[_count] = byte
        _count += 1
    }

    /// The literal's bytes.
    @inlinable
    public mutating func write(_ text: StaticString) {
        (base + _count).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        _count += text.utf8CodeUnitCount
    }

    /// `bytes` as they are.
    @inlinable
    public mutating func write(bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        UnsafeMutableRawPointer(base + _count).copyMemory(from: source, byteCount: bytes.count)
        _count += bytes.count
    }

    /// A string's UTF-8 as it is.
    @inlinable
    public mutating func write(utf8 text: String) {
        var text = text
        text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// `bytes` as a quoted JSON string, escaped as ``WireFormat/appendString(_:to:)-(UnsafeRawBufferPointer,_)``
    /// escapes: at most 6 × `bytes.count` + 2 bytes.
    public mutating func writeQuoted(_ bytes: UnsafeRawBufferPointer) {
        write(UInt8(ascii: "\""))
        // Most strings need no escape: eight bytes are checked at once up to the first
        // that might, and only the rest goes a byte at a time.
        var plainEnd = 0
        if let base = bytes.baseAddress {
            while plainEnd + 8 <= bytes.count, !Self.mayNeedEscape(base.loadUnaligned(fromByteOffset: plainEnd, as: UInt64.self)) {
                plainEnd += 8
            }
        }
        var plainStart = 0
        for index in plainEnd..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F else { continue }
            if plainStart < index { write(bytes: UnsafeRawBufferPointer(rebasing: bytes[plainStart..<index])) }
            plainStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): write(#"\""#)
            case UInt8(ascii: "\\"): write(#"\\"#)
            case 0x0A: write(#"\n"#)
            case 0x0D: write(#"\r"#)
            case 0x09: write(#"\t"#)
            default:
                write(#"\u00"#)
                write(Self.hex(byte >> 4))
                write(Self.hex(byte & 0xF))
            }
        }
        if plainStart < bytes.count { write(bytes: UnsafeRawBufferPointer(rebasing: bytes[plainStart...])) }
        write(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes of `word` is below 0x20, `"`, `\` or 0x7F (or
    /// above, for simplicity: UTF-8 beyond ASCII takes the byte loop, which copies it).
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let below0x20 = (word &- ones &* 0x20) & ~word & highs != 0
        return below0x20 || word & highs != 0
            || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C)) || hasZeroByte(word ^ (ones &* 0x7F))
    }

    @inline(__always)
    static func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10 }

    /// A number in decimal: at most 20 bytes.
    public mutating func writeNumber(_ value: UInt64) {
        var digits = 1
        var rest = value
        while rest >= 10 {
            digits += 1
            rest /= 10
        }
        rest = value
        for index in stride(from: _count + digits - 1, through: _count, by: -1) {
            base[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        _count += digits
    }

    /// A time as ``Timestamp/iso8601(_:)`` writes it: 24 bytes.
    public mutating func writeISO8601(_ millis: Int64) {
        _count += Timestamp.writeISO8601(millis, into: UnsafeMutableRawBufferPointer(start: base + _count, count: 24))
    }

    /// An id in its canonical form: 36 bytes.
    public mutating func writeID(_ id: EventID) {
        _count += id.writeText(into: UnsafeMutableRawBufferPointer(start: base + _count, count: 36))
    }
}

extension Array where Element == UInt8 {
    /// Appends what `write` writes, given room for `maxCount` bytes; nothing when it
    /// throws.
    @inlinable
    public mutating func append(reserving maxCount: Int, _ write: (inout RawTextWriter) throws -> Void) rethrows {
        try withUnsafeTemporaryAllocation(byteCount: maxCount, alignment: 1) { scratch in
            var writer = RawTextWriter(scratch)
            try write(&writer)
            append(contentsOf: UnsafeBufferPointer(start: writer.base, count: writer.count))
        }
    }
}
