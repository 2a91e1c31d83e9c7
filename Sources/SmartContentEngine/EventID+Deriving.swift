import Crypto
public import EventLog

extension EventID {
    /// A version-8 UUID taken from the SHA-256 of `name`: the same name gives the same id,
    /// so a retried request with the same `Idempotency-Key` appends nothing twice.
    public init(deriving name: String) {
        let digest = Array(SHA256.hash(data: Array(name.utf8)))
        func half(_ start: Int) -> UInt64 { digest[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) } }
        self.init(high: (half(0) & ~0xF000) | 0x8000, low: (half(8) & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000)
    }
}
