import CEventLogSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The unique id of an event: a UUID, written in its canonical lowercase form.
///
/// ``EventID/init()`` makes a version-7 UUID (time-ordered), so ids minted by one process
/// sort by time and land at the right edge of the id index: appends stay cheap. Ids
/// supplied by clients may be any UUID.
public struct EventID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 16 bytes in network order, as two big-endian halves.
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A new version-7 UUID: 48 bits of Unix milliseconds, then random bits.
    public init() {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let millis = UInt64(ts.tv_sec) &* 1000 &+ UInt64(ts.tv_nsec / 1_000_000)
        let (randA, randB) = RandomPool.shared.next()
        high = (millis << 16) | 0x7000 | (randA & 0x0FFF)
        low = 0x8000_0000_0000_0000 | (randB & 0x3FFF_FFFF_FFFF_FFFF)
    }

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case), or 32 hex digits.
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        guard let id = text.withUTF8({ EventID(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = id
    }

    /// ``init(_:)`` of UTF-8 bytes, read in place.
    public init?(utf8 text: UnsafeRawBufferPointer) {
        guard text.count == 36 || text.count == 32 else { return nil }
        let dashed = text.count == 36
        if dashed {
            guard text[8] == UInt8(ascii: "-"), text[13] == UInt8(ascii: "-"), text[18] == UInt8(ascii: "-"),
                  text[23] == UInt8(ascii: "-") else { return nil }
        }
        var value: (UInt64, UInt64) = (0, 0)
        var digit = 0
        for (index, byte) in text.enumerated() {
            if dashed, index == 8 || index == 13 || index == 18 || index == 23 { continue }
            let nibble = Self.nibbles[Int(byte)]
            guard nibble < 16 else { return nil }
            if digit < 16 { value.0 = value.0 << 4 | UInt64(nibble) } else { value.1 = value.1 << 4 | UInt64(nibble) }
            digit += 1
        }
        (high, low) = value
    }

    /// The value of each hex digit byte, 0xFF for other bytes.
    private static let nibbles: [UInt8] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(byte) - UInt8(ascii: "A") + 10
        default: 0xFF
        }
    }

    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the canonical form (``description``) without making a string.
    public func appendText(to out: inout [UInt8]) {
        out.append(capacity: 36) { writeText(into: $0) }
    }

    /// Writes the 36 bytes of ``description`` into `buffer`; returns how many.
    func writeText(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        precondition(buffer.count >= 36)
        let out = buffer.baseAddress!
        // A byte at a time, two digits each (every event of a replay prints its id).
        var offset = 0
        for byteIndex in 0..<16 {
            if byteIndex == 4 || byteIndex == 6 || byteIndex == 8 || byteIndex == 10 {
                out.storeBytes(of: UInt8(ascii: "-"), toByteOffset: offset, as: UInt8.self)
                offset += 1
            }
            let word = byteIndex < 8 ? high : low
            let byte = UInt8(truncatingIfNeeded: word >> UInt64(56 - (byteIndex % 8) * 8))
            out.storeBytes(of: RawTextWriter.hex(byte >> 4), toByteOffset: offset, as: UInt8.self)
            out.storeBytes(of: RawTextWriter.hex(byte & 0xF), toByteOffset: offset + 1, as: UInt8.self)
            offset += 2
        }
        return offset
    }

    public static func < (lhs: EventID, rhs: EventID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    /// The 16 bytes, big-endian: the key of the id index.
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { try body($0) }
    }

    @inline(__always)
    init(bytes: UnsafeRawBufferPointer) {
        high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }
}

/// Random words drawn from the system generator in blocks: one `getrandom` call per 256
/// ids instead of two per id, which showed up as 15 % of a batched append in profiles.
final class RandomPool: Sendable {
    static let shared = RandomPool()

    private struct Block {
        var words = [UInt64](repeating: 0, count: 512)
        var next = 512
    }
    private let block = Mutex(Block())

    func next() -> (UInt64, UInt64) {
        block.withLock { block in
            if block.next + 2 > block.words.count {
                let status = block.words.withUnsafeMutableBytes { smartcontent_random_bytes($0.baseAddress, $0.count) }
                if status != 0 {
                    var generator = SystemRandomNumberGenerator()
                    for index in block.words.indices { block.words[index] = generator.next() }
                }
                block.next = 0
            }
            defer { block.next += 2 }
            return (block.words[block.next], block.words[block.next + 1])
        }
    }
}
