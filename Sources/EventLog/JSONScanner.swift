/// Reads JSON in place, for the bulk paths whose lines are nearly always of one simple
/// shape: values are read straight from the bytes, without building a ``JSONValue`` tree
/// or a `String` per field. It reads a strict subset of JSON and answers `nil` (or
/// `false`) for anything outside it, leaving such input to the general parser, which
/// accepts it or names what is wrong; so it never needs error messages of its own.
public struct JSONScanner {
    public let bytes: UnsafeRawBufferPointer
    // Inlinable, like the readers below: the domain reads each event's fields through them,
    // and a call (with its closure) per field cost more than the reading.
    @usableFromInline var _offset = 0
    public var offset: Int { _offset }

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inlinable
    public var isAtEnd: Bool { _offset == bytes.count }

    @inlinable
    public mutating func skipWhitespace() {
        while _offset < bytes.count {
            switch bytes[_offset] {
            case 0x20, 0x09, 0x0A, 0x0D: _offset += 1
            default: return
            }
        }
    }

    /// Skips whitespace, then `byte` if it comes next.
    @inlinable
    public mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard _offset < bytes.count, bytes[_offset] == byte else { return false }
        _offset += 1
        return true
    }

    /// `null`, if it comes next.
    @inlinable
    public mutating func consumeNull() -> Bool {
        skipWhitespace()
        guard _offset + 4 <= bytes.count, bytes[_offset] == UInt8(ascii: "n"), bytes[_offset + 1] == UInt8(ascii: "u"),
              bytes[_offset + 2] == UInt8(ascii: "l"), bytes[_offset + 3] == UInt8(ascii: "l") else { return false }
        _offset += 4
        return true
    }

    /// A string of printable ASCII without escapes (what ids, names of types and most
    /// values are), as its bytes between the quotes; `nil` for any other value.
    @inlinable
    public mutating func plainString() -> UnsafeRawBufferPointer? {
        skipWhitespace()
        guard _offset < bytes.count, bytes[_offset] == UInt8(ascii: "\"") else { return nil }
        let start = _offset + 1
        // Eight bytes at a time: strings are most of a line. Until the closing quote, every
        // byte must be printable ASCII other than `\`.
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            // The high bit of each byte that is a quote (exact up to the first one).
            let quote = Self.zeroBytes(word ^ (ones &* 0x22))
            // Bytes of 0x80 and more; below 0x20 (0x60 added reaches 0x80 from 0x20 up);
            // `\`; DEL. Exact for the bytes before the first of them, which is all that counts.
            let bad = (word & highs) | (~(word &+ ones &* 0x60) & highs) | Self.zeroBytes(word ^ (ones &* 0x5C))
                | Self.zeroBytes(word ^ (ones &* 0x7F))
            if quote != 0 {
                // Only the bytes before the quote count.
                guard bad & ((quote & (0 &- quote)) &- 1) == 0 else { return nil }
                let end = index + quote.trailingZeroBitCount / 8
                _offset = end + 1
                return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            }
            guard bad == 0 else { return nil }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                _offset = index + 1
                return UnsafeRawBufferPointer(rebasing: bytes[start..<index])
            }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// The high bit of each byte of `word` that is zero, exact up to the first zero byte
    /// (above it, a borrow may mark a 0x01 byte too).
    @inlinable
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// Any string, decoded exactly as ``JSONValue`` decodes it (escapes, UTF-8 checked).
    public mutating func string() -> String? {
        skipWhitespace()
        guard _offset < bytes.count, bytes[_offset] == UInt8(ascii: "\"") else { return nil }
        var parser = JSONValue.Parser(bytes: bytes.assumingMemoryBound(to: UInt8.self))
        parser.offset = _offset
        guard let text = try? parser.parseString() else { return nil }
        _offset = parser.offset
        return text
    }

    /// A non-negative integer written plainly (no sign, fraction or exponent, no leading
    /// zero) of at most 18 digits.
    @inlinable
    public mutating func unsignedInteger() -> UInt64? {
        skipWhitespace()
        let start = _offset
        var value: UInt64 = 0
        while _offset < bytes.count, bytes[_offset] >= UInt8(ascii: "0"), bytes[_offset] <= UInt8(ascii: "9") {
            value = value * 10 + UInt64(bytes[_offset] - UInt8(ascii: "0"))
            _offset += 1
            guard _offset - start <= 18 else { return nil }
        }
        let digits = _offset - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0"), !continuesNumber() else { return nil }
        return value
    }

    /// A non-negative decimal `123` or `0.25` of at most 15 significant digits: the
    /// `Double` that `Double(text)` gives, computed exactly (a mantissa below 2^53 divided
    /// by an exact power of ten is correctly rounded). Exponents are left to `Double`.
    @inlinable
    public mutating func decimal() -> Double? {
        skipWhitespace()
        let start = _offset
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawPoint = false
        while _offset < bytes.count {
            let byte = bytes[_offset]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                if mantissa > 0 { digits += 1 }
                if sawPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint, _offset > start {
                sawPoint = true
            } else {
                break
            }
            _offset += 1
            guard digits <= 15, fractionDigits <= 15 else { return nil }
        }
        let integerDigits = bytes[start..<_offset].firstIndex(of: UInt8(ascii: ".")).map { $0 - start } ?? _offset - start
        guard integerDigits > 0, integerDigits == 1 || bytes[start] != UInt8(ascii: "0"),
              !sawPoint || fractionDigits > 0, !continuesNumber() else { return nil }
        return Double(mantissa) / Self.powersOfTen[fractionDigits]
    }

    @usableFromInline
    static let powersOfTen: [Double] = (0...15).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Whether a number read so far goes on in a form these readers leave alone.
    @inlinable
    func continuesNumber() -> Bool {
        guard _offset < bytes.count else { return false }
        switch bytes[_offset] {
        case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "-"), UInt8(ascii: "+"),
             UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return false
        }
    }

    /// The members of an object, one call of `member` per key (read with
    /// ``plainString()``), which must read the value with this scanner and return `false`
    /// to give up. `false` when the object is malformed or `member` gave up.
    @inlinable
    public mutating func members(_ member: (UnsafeRawBufferPointer, inout JSONScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            guard let key = plainString(), consume(UInt8(ascii: ":")), member(key, &self) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// The members of an object whose keys are among `names`, each at most once: `field`
    /// gets the key's index in `names` and must read the value. `false` for an unknown or
    /// repeated key, and as ``members(_:)`` does.
    @inlinable
    public mutating func fields(_ names: [StaticString], _ field: (Int, inout JSONScanner) -> Bool) -> Bool {
        var seen: UInt64 = 0
        return members { key, scanner in
            guard let index = Self.index(of: key, in: names), seen & 1 << index == 0 else { return false }
            seen |= 1 << index
            return field(index, &scanner)
        }
    }

    /// The elements of an array, one call of `element` each, which must read the value and
    /// return `false` to give up. `false` when the array is malformed or `element` gave up.
    @inlinable
    public mutating func elements(_ element: (inout JSONScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        while true {
            guard element(&self) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]"))
        }
    }

    /// The index of `key` in `names`, compared byte for byte.
    @inlinable
    public static func index(of key: UnsafeRawBufferPointer, in names: [StaticString]) -> Int? {
        for index in names.indices where bytes(key, equal: names[index]) { return index }
        return nil
    }

    /// Whether `bytes` are `text`'s UTF-8 (compared here: short keys cost more in a call).
    @inline(__always)
    public static func bytes(_ bytes: UnsafeRawBufferPointer, equal text: StaticString) -> Bool {
        guard text.utf8CodeUnitCount == bytes.count else { return false }
        let start = text.utf8Start
        for _offset in 0..<bytes.count where start[_offset] != bytes[_offset] { return false }
        return true
    }

    /// Skips an object or array, checking only that its brackets and strings balance; the
    /// value is read properly later (see ``WireFormat/scanLine(_:)``). Its byte range.
    mutating func skipContainer() -> Range<Int>? {
        skipWhitespace()
        let start = _offset
        var depth = 0
        while _offset < bytes.count {
            switch bytes[_offset] {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    _offset += 1
                    return start..<_offset
                }
            case UInt8(ascii: "\""):
                _offset += 1
                while _offset < bytes.count, bytes[_offset] != UInt8(ascii: "\"") {
                    _offset += bytes[_offset] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard _offset < bytes.count else { return nil }
            default: break
            }
            guard depth > 0 else { return nil }
            _offset += 1
        }
        return nil
    }
}
