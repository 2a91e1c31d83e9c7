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
        var value: (UInt64, UInt64) = (0, 0)
        var digits = 0
        for (index, byte) in text.utf8.enumerated() {
            let nibble: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt64(byte - UInt8(ascii: "A") + 10)
            case UInt8(ascii: "-") where [8, 13, 18, 23].contains(index): continue
            default: return nil
            }
            if digits < 16 { value.0 = value.0 << 4 | nibble } else { value.1 = value.1 << 4 | nibble }
            digits += 1
            if digits > 32 { return nil }
        }
        guard digits == 32 else { return nil }
        let length = text.utf8.count
        guard length == 32 || length == 36 else { return nil }
        (high, low) = value
    }

    public var description: String {
        var bytes = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out = 0
        for nibbleIndex in 0..<32 {
            if out == 8 || out == 13 || out == 18 || out == 23 { out += 1 }
            let word = nibbleIndex < 16 ? high : low
            let shift = UInt64(60 - (nibbleIndex % 16) * 4)
            bytes[out] = hex[Int((word >> shift) & 0xF)]
            out += 1
        }
        return String(decoding: bytes, as: UTF8.self)
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
