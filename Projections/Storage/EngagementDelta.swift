public import SmartContentDomain

/// One engagement of a batch under a key packed from two 32-bit parts (batch slots, a
/// day), summed once the whole batch is read and sorted by key: summing into a hash
/// table as large as a batch's rows paid a cache miss for every engagement.
struct EngagementDelta {
    var key: UInt64
    var milli: Int64
    var kind: EngagementKind

    init(high: Int, low: UInt32, kind: EngagementKind, milli: Int64) {
        key = UInt64(high) << 32 | UInt64(low)
        self.milli = milli
        self.kind = kind
    }

    var high: Int { Int(key >> 32) }
    var low: UInt32 { UInt32(truncatingIfNeeded: key) }

    /// A day as a low part whose unsigned order is the day's order.
    static func low(day: Int64) -> UInt32 { UInt32(bitPattern: Int32(truncatingIfNeeded: day)) ^ 0x8000_0000 }
    static func day(low: UInt32) -> Int64 { Int64(Int32(bitPattern: low ^ 0x8000_0000)) }
}

extension [EngagementDelta] {
    /// Replaces the parts of each key by their ranks (when given), sorts by key, and calls
    /// `body` with each distinct key and its sum, in key order. Equal keys keep their
    /// event order, so the sums are those of a fold event by event.
    mutating func sumByKey(
        rankingHigh highRank: [UInt32]? = nil, low lowRank: [UInt32]? = nil, _ body: (UInt64, EngagementCounters) throws -> Void
    ) rethrows {
        if highRank != nil || lowRank != nil {
            for index in indices {
                let delta = self[index]
                let high = highRank.map { UInt64($0[delta.high]) } ?? UInt64(delta.high)
                let low = lowRank.map { UInt64($0[Int(delta.low)]) } ?? UInt64(delta.low)
                self[index].key = high << 32 | low
            }
        }
        radixSort { $0.key }
        var next = 0
        while next < count {
            let key = self[next].key
            var sum = EngagementCounters()
            while next < count && self[next].key == key {
                sum.add(self[next].kind, milli: self[next].milli)
                next += 1
            }
            try body(key, sum)
        }
    }
}

extension Array {
    /// Each position's rank in the order of `precedes`: what ``Array/sumByKey(rankingHigh:low:_:)``
    /// needs to give rows in a table's key order. An order that differs from the keys' bytes
    /// (`String`'s `<` does for some non-ASCII ids) costs the writer's sort more, nothing else.
    func ranks(by precedes: (Element, Element) -> Bool) -> (ranks: [UInt32], inOrder: [Int]) {
        let inOrder = indices.sorted { precedes(self[$0], self[$1]) }
        var ranks = [UInt32](repeating: 0, count: count)
        for (rank, index) in inOrder.enumerated() { ranks[index] = UInt32(rank) }
        return (ranks, inOrder)
    }
}
