#if canImport(Glibc)
import Glibc
#endif

/// Reads JSON in place, for the bulk paths whose lines are nearly always of one simple
/// shape: values are read straight from the bytes, without building a ``JSONValue`` tree
/// or a `String` per field. It reads a strict subset of JSON and answers `nil` (or
/// `false`) for anything outside it, leaving such input to the general parser, which
/// accepts it or names what is wrong; so it never needs error messages of its own.
public struct JSONScanner {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var offset = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    /// Skips whitespace, then `byte` if it comes next.
    public mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == byte else { return false }
        offset += 1
        return true
    }

    /// `null`, if it comes next.
    public mutating func consumeNull() -> Bool {
        skipWhitespace()
        guard offset + 4 <= bytes.count, bytes[offset] == UInt8(ascii: "n"), bytes[offset + 1] == UInt8(ascii: "u"),
              bytes[offset + 2] == UInt8(ascii: "l"), bytes[offset + 3] == UInt8(ascii: "l") else { return false }
        offset += 4
        return true
    }

    /// A string of printable ASCII without escapes (what ids, names of types and most
    /// values are), as its bytes between the quotes; `nil` for any other value.
    public mutating func plainString() -> UnsafeRawBufferPointer? {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return nil }
        let start = offset + 1
        guard let base = bytes.baseAddress, start < bytes.count,
              let quote = memchr(base + start, Int32(UInt8(ascii: "\"")), bytes.count - start) else { return nil }
        let end = base.distance(to: UnsafeRawPointer(quote))
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        guard Self.isPlain(text) else { return nil }
        offset = end + 1
        return text
    }

    /// Whether every byte is printable ASCII other than `\`, checked eight at a time:
    /// strings are most of a line.
    static func isPlain(_ text: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        // A byte of `word` is zero exactly when this has its high bit set (no false positives
        // once bytes of 0x80 and more are ruled out).
        func hasZero(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
        var index = 0
        while index + 8 <= text.count {
            let word = text.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // Bytes of 0x7F and more; below 0x20 (adding 0x60 reaches 0x80 from 0x20 up); `\`.
            if word & highs != 0 || (word &+ ones &* 0x60) & highs != highs || hasZero(word ^ (ones &* 0x5C))
                || hasZero(word ^ (ones &* 0x7F)) { return false }
            index += 8
        }
        while index < text.count {
            let byte = text[index]
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return false }
            index += 1
        }
        return true
    }

    /// Any string, decoded exactly as ``JSONValue`` decodes it (escapes, UTF-8 checked).
    public mutating func string() -> String? {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return nil }
        var parser = JSONValue.Parser(bytes: bytes.assumingMemoryBound(to: UInt8.self))
        parser.offset = offset
        guard let text = try? parser.parseString() else { return nil }
        offset = parser.offset
        return text
    }

    /// A non-negative integer written plainly (no sign, fraction or exponent, no leading
    /// zero) of at most 18 digits.
    public mutating func unsignedInteger() -> UInt64? {
        skipWhitespace()
        let start = offset
        var value: UInt64 = 0
        while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") {
            value = value * 10 + UInt64(bytes[offset] - UInt8(ascii: "0"))
            offset += 1
            guard offset - start <= 18 else { return nil }
        }
        let digits = offset - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0"), !continuesNumber() else { return nil }
        return value
    }

    /// A non-negative decimal `123` or `0.25` of at most 15 significant digits: the
    /// `Double` that `Double(text)` gives, computed exactly (a mantissa below 2^53 divided
    /// by an exact power of ten is correctly rounded). Exponents are left to `Double`.
    public mutating func decimal() -> Double? {
        skipWhitespace()
        let start = offset
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawPoint = false
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                if mantissa > 0 { digits += 1 }
                if sawPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint, offset > start {
                sawPoint = true
            } else {
                break
            }
            offset += 1
            guard digits <= 15, fractionDigits <= 15 else { return nil }
        }
        let integerDigits = bytes[start..<offset].firstIndex(of: UInt8(ascii: ".")).map { $0 - start } ?? offset - start
        guard integerDigits > 0, integerDigits == 1 || bytes[start] != UInt8(ascii: "0"),
              !sawPoint || fractionDigits > 0, !continuesNumber() else { return nil }
        return Double(mantissa) / Self.powersOfTen[fractionDigits]
    }

    private static let powersOfTen: [Double] = (0...15).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Whether a number read so far goes on in a form these readers leave alone.
    private func continuesNumber() -> Bool {
        guard offset < bytes.count else { return false }
        switch bytes[offset] {
        case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "-"), UInt8(ascii: "+"),
             UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return false
        }
    }

    /// The members of an object, one call of `member` per key (read with
    /// ``plainString()``), which must read the value with this scanner and return `false`
    /// to give up. `false` when the object is malformed or `member` gave up.
    public mutating func members(_ member: (UnsafeRawBufferPointer, inout JSONScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            guard let key = plainString(), consume(UInt8(ascii: ":")), member(key, &self) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// The elements of an array, one call of `element` each, which must read the value and
    /// return `false` to give up. `false` when the array is malformed or `element` gave up.
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
    public static func index(of key: UnsafeRawBufferPointer, in names: [StaticString]) -> Int? {
        for index in names.indices where bytes(key, equal: names[index]) { return index }
        return nil
    }

    /// Whether `bytes` are `text`'s UTF-8 (compared here: short keys cost more in a call).
    @inline(__always)
    public static func bytes(_ bytes: UnsafeRawBufferPointer, equal text: StaticString) -> Bool {
        guard text.utf8CodeUnitCount == bytes.count else { return false }
        let start = text.utf8Start
        for offset in 0..<bytes.count where start[offset] != bytes[offset] { return false }
        return true
    }

    /// Skips an object or array, checking only that its brackets and strings balance; the
    /// value is read properly later (see ``WireFormat/scanLine(_:)``). Its byte range.
    mutating func skipContainer() -> Range<Int>? {
        skipWhitespace()
        let start = offset
        var depth = 0
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    offset += 1
                    return start..<offset
                }
            case UInt8(ascii: "\""):
                offset += 1
                while offset < bytes.count, bytes[offset] != UInt8(ascii: "\"") {
                    offset += bytes[offset] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard offset < bytes.count else { return nil }
            default: break
            }
            guard depth > 0 else { return nil }
            offset += 1
        }
        return nil
    }
}
