/// A hash table keyed by 64-bit integers, for the sums a fold keeps per event.
///
/// `Dictionary` hashes every key with SipHash and grows by rehashing through it again:
/// in the analytics fold that cost more than the summing itself. Here a key is mixed
/// with one multiplication (Fibonacci hashing) and probed linearly. The folds' keys are
/// packed batch-local slot numbers, never adversarial input, so a keyed hash buys nothing.
struct IntegerTable<Value> {
    /// Marks a free slot; the one key the table cannot hold.
    private static var free: Int64 { .min }

    /// Key and value side by side: an update of a large table costs one cache miss, not two.
    private struct Slot {
        var key: Int64
        var value: Value
    }

    private var slots: [Slot]
    private let empty: Value
    private var shift: Int
    private(set) var count = 0

    /// A table whose new entries start as `empty`.
    init(empty: Value, capacity: Int = 64) {
        var count = 16
        while count < capacity * 2 { count *= 2 }
        slots = Array(repeating: Slot(key: Self.free, value: empty), count: count)
        self.empty = empty
        shift = 64 - count.trailingZeroBitCount
    }

    /// Runs `body` on the value of `key`, which starts as `empty` when new.
    @inline(__always)
    mutating func update<R>(_ key: Int64, _ body: (inout Value) -> R) -> R {
        precondition(key != Self.free, "Int64.min cannot be a key")
        var slot = Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
        let mask = slots.count - 1
        while true {
            let found = slots[slot].key
            if found == key { return body(&slots[slot].value) }
            if found == Self.free {
                if (count + 1) * 4 > slots.count * 3 {
                    grow()
                    return update(key, body)
                }
                slots[slot].key = key
                count += 1
                return body(&slots[slot].value)
            }
            slot = (slot + 1) & mask
        }
    }

    /// Every entry, in no particular order.
    func forEach(_ body: (Int64, Value) throws -> Void) rethrows {
        for slot in slots where slot.key != Self.free { try body(slot.key, slot.value) }
    }

    private mutating func grow() {
        var larger = IntegerTable(empty: empty, capacity: slots.count)
        forEach { key, value in larger.update(key) { $0 = value } }
        self = larger
    }
}
