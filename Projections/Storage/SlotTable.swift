/// Numbers the distinct ids of one batch 0, 1, 2… in the order they are first met, so a
/// fold can sum into arrays instead of dictionaries.
///
/// The engagement of a batch looks up one or two ids per event, and `[String: Int]`s pay
/// a SipHash of each id and then the misses of tables larger than the cache. This table
/// hashes an id's bytes with a multiply-mix under a seed drawn per table (ids come from
/// users, and a fixed hash would let them pick colliding ones) and probes 8-byte buckets,
/// most of which stay in cache.
struct SlotTable {
    /// The id of each slot.
    private(set) var ids: [String] = []
    /// Each slot's hash, to place it again when the table grows.
    private var hashes: [UInt64] = []
    /// Slots whose id was forgotten: its next lookup gives it a new slot.
    private var forgotten: [Bool] = []
    /// Forgotten slots whose id has a newer slot: no bucket leads to them.
    private var superseded: [Bool] = []
    /// Per bucket: the high 32 bits of the hash, then the slot + 1 (0 for an empty bucket).
    private var buckets: [UInt64]
    private var mask: Int
    private let seed = UInt64.random(in: .min ... .max)

    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        buckets = Array(repeating: 0, count: size)
        mask = size - 1
        ids.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
        forgotten.reserveCapacity(capacity)
        superseded.reserveCapacity(capacity)
    }

    var count: Int { ids.count }

    subscript(slot: Int) -> String { ids[slot] }

    /// The slot of `id`, a new one when it has none (or was forgotten).
    mutating func slot(_ id: String) -> Int {
        let hash = Self.hash(id, seed: seed)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let bucket = buckets[index]
            if bucket == 0 { break }
            let slot = Int(truncatingIfNeeded: bucket & 0xFFFF_FFFF) - 1
            if bucket >> 32 == hash >> 32 && Self.sameBytes(ids[slot], id) {
                guard forgotten[slot] else { return slot }
                superseded[slot] = true
                return add(id, hash, at: index)
            }
            index = (index + 1) & mask
        }
        return add(id, hash, at: index)
    }

    /// The slot of `id`, if it has one that was not forgotten.
    func find(_ id: String) -> Int? {
        let hash = Self.hash(id, seed: seed)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let bucket = buckets[index]
            if bucket == 0 { return nil }
            let slot = Int(truncatingIfNeeded: bucket & 0xFFFF_FFFF) - 1
            if bucket >> 32 == hash >> 32 && Self.sameBytes(ids[slot], id) { return forgotten[slot] ? nil : slot }
            index = (index + 1) & mask
        }
    }

    /// Gives `id` a new slot at its next lookup; returns the slot it had.
    mutating func forget(_ id: String) -> Int? {
        guard let slot = find(id) else { return nil }
        forgotten[slot] = true
        return slot
    }

    /// A new slot for `id`, led to from bucket `index`.
    private mutating func add(_ id: String, _ hash: UInt64, at index: Int) -> Int {
        precondition(ids.count < Int(UInt32.max) - 1, "a batch holds fewer than 4 billion ids")
        let slot = ids.count
        ids.append(id)
        hashes.append(hash)
        forgotten.append(false)
        superseded.append(false)
        buckets[index] = hash & ~0xFFFF_FFFF | UInt64(slot + 1)
        if ids.count * 2 > buckets.count { grow() }
        return slot
    }

    /// Doubles the buckets and places every slot again but the superseded ones.
    private mutating func grow() {
        buckets = Array(repeating: 0, count: buckets.count * 2)
        mask = buckets.count - 1
        for slot in ids.indices where !superseded[slot] {
            var index = Int(truncatingIfNeeded: hashes[slot]) & mask
            while buckets[index] != 0 { index = (index + 1) & mask }
            buckets[index] = hashes[slot] & ~0xFFFF_FFFF | UInt64(slot + 1)
        }
    }

    /// Ids are told apart by their bytes, as the stores' keys are: `==` would take "é" and
    /// "e\u{301}" for one id, and only when their hashes happened to meet.
    ///
    /// Two strings with the same representation are the same string: the same inline
    /// bytes, or the same storage. Ids of up to 15 bytes (generated ids, and those of the
    /// benchmark's workload) are stored inside the string, so a lookup of one, which
    /// compares only when the hashes agree, is settled without reading any id's bytes.
    /// Longer ids live in storage of their own, one per decoded event, and are compared
    /// byte by byte.
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        #if _pointerBitWidth(_64)
        if unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self) { return true }
        #endif
        var a = a, b = b
        return a.withUTF8 { a in b.withUTF8 { b in a.count == b.count && a.elementsEqual(b) } }
    }

    /// A seeded multiply-xorshift hash of the id's UTF-8 bytes, eight at a time.
    static func hash(_ id: String, seed: UInt64) -> UInt64 {
        var id = id
        return id.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            var hash = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
            var offset = 0
            while offset + 8 <= bytes.count {
                hash = mix(hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            var tail: UInt64 = 0
            while offset < bytes.count {
                tail = tail << 8 | UInt64(bytes[offset])
                offset += 1
            }
            return mix(hash ^ tail ^ seed)
        }
    }

    /// The finalizer of SplitMix64: every input bit reaches every output bit.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
