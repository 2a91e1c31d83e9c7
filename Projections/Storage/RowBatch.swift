public import SmartContentDomain

/// Rows for one table, gathered during a fold and written in one go in key order
/// (``ProjectionWriter/putAll(_:_:)``, ``ProjectionWriter/mergeAll(_:_:as:_:inserted:)``).
///
/// Every key and value lives in one byte arena, and sorting moves small fixed-size
/// entries: with a heap array per key, writing half a million rows in key order spent
/// most of its time waiting on cache misses (each key, then its row, somewhere else in
/// memory) and on allocating and freeing the keys.
public struct RowBatch {
    struct Entry {
        /// The key's first 24 bytes as big-endian integers, zero-padded: most keys are
        /// ordered by these alone.
        var prefix: (UInt64, UInt64, UInt64)
        var keyStart: UInt32
        var keyCount: UInt32
        var valueCount: UInt32
        /// Position in the order given: equal keys stay in that order.
        var order: UInt32
    }

    /// Each row's key, then its value encoded in place.
    var arena = BinaryWriter(capacity: 0)
    var entries: [Entry] = []

    /// Room for `capacity` rows of `bytesPerRow` bytes of key and value each. Reserve
    /// enough: a batch that outgrows its room is copied whole into twice the room, onto
    /// memory the kernel must first clear (a third of audit's fold went to growing its
    /// two batches from a quarter of their size).
    public init(capacity: Int = 0, bytesPerRow: Int = 32) {
        entries.reserveCapacity(capacity)
        arena.reserveCapacity(capacity * bytesPerRow)
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Adds a row; a key given twice ends as one row, its values merged (or the last one
    /// kept) in the order given.
    public mutating func append(_ key: OrderedKey, _ value: some BinaryCodable) {
        let start = arena.count
        arena.writeRaw(key.bytes)
        value.encode(to: &arena)
        add(key, start: start)
    }

    /// Adds a row with an empty value (an index entry).
    public mutating func append(_ key: OrderedKey) {
        append(key, encoded: [])
    }

    /// Adds a row whose value is already encoded: one value under several keys is encoded once.
    public mutating func append(_ key: OrderedKey, encoded value: [UInt8]) {
        let start = arena.count
        arena.writeRaw(key.bytes)
        arena.writeRaw(value)
        add(key, start: start)
    }

    /// Records the row whose key and value were just written from `start`.
    private mutating func add(_ key: OrderedKey, start: Int) {
        precondition(arena.count <= Int(UInt32.max), "a batch of rows holds at most 4 GB")
        let valueCount = arena.count - start - key.bytes.count
        let prefix = key.bytes.withUnsafeBytes { bytes in
            var prefix = (UInt64(0), UInt64(0), UInt64(0))
            withUnsafeMutableBytes(of: &prefix) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(24))) }
            return (UInt64(bigEndian: prefix.0), UInt64(bigEndian: prefix.1), UInt64(bigEndian: prefix.2))
        }
        entries.append(Entry(prefix: prefix, keyStart: UInt32(start), keyCount: UInt32(key.bytes.count),
                             valueCount: UInt32(valueCount), order: UInt32(entries.count)))
    }

    /// Sorts the rows by key, equal keys in the order given.
    mutating func sort() {
        arena.bytes.withUnsafeBytes { arena in
            entries.sort { a, b in
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let order = a.keyCount <= 24 || b.keyCount <= 24
                    ? Int(a.keyCount) - Int(b.keyCount)
                    : Self.compare(Self.key(of: a, in: arena, from: 24), Self.key(of: b, in: arena, from: 24))
                return order != 0 ? order < 0 : a.order < b.order
            }
        }
    }

    /// Whether two entries have the same key: the prefixes and lengths settle it for most.
    static func sameKey(_ a: Entry, _ b: Entry, in arena: UnsafeRawBufferPointer) -> Bool {
        guard a.prefix == b.prefix && a.keyCount == b.keyCount else { return false }
        return a.keyCount <= 24 || compare(key(of: a, in: arena, from: 24), key(of: b, in: arena, from: 24)) == 0
    }

    /// The entry's key, or its bytes from `offset` on (past a prefix known to be equal).
    static func key(of entry: Entry, in arena: UnsafeRawBufferPointer, from offset: UInt32 = 0) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: arena[Int(entry.keyStart + offset)..<Int(entry.keyStart + entry.keyCount)])
    }

    static func value(of entry: Entry, in arena: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let start = Int(entry.keyStart + entry.keyCount)
        return UnsafeRawBufferPointer(rebasing: arena[start..<start + Int(entry.valueCount)])
    }

    /// Byte order, a prefix first. Eight bytes at a time, inline: keys differ within a few
    /// words, where a call to `memcmp` per comparison cost a sort of audit keys more than
    /// the comparing.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        var offset = 0
        while offset + 8 <= common {
            let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            offset += 8
        }
        while offset < common {
            if a[offset] != b[offset] { return a[offset] < b[offset] ? -1 : 1 }
            offset += 1
        }
        return a.count - b.count
    }
}
