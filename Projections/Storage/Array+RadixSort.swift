extension Array {
    /// Sorts by `key`, keeping equal keys in their order, in one pass per byte of the keys
    /// (skipping bytes they all share). Each pass streams through memory, where a hash table
    /// too large for the cache pays a miss for every element.
    mutating func radixSort(by key: (Element) -> UInt64) {
        guard count > 1 else { return }
        var spare = self
        withUnsafeMutableBufferPointer { elements in
            spare.withUnsafeMutableBufferPointer { other in
                var source = elements, target = other
                var sortedIntoSpare = false
                var counts = [Int](repeating: 0, count: 256)
                for shift in stride(from: UInt64(0), to: 64, by: 8) {
                    for index in counts.indices { counts[index] = 0 }
                    for element in source { counts[Int(truncatingIfNeeded: key(element) >> shift) & 0xFF] += 1 }
                    if counts.contains(source.count) { continue }
                    var start = 0
                    for digit in counts.indices {
                        let size = counts[digit]
                        counts[digit] = start
                        start += size
                    }
                    for element in source {
                        let digit = Int(truncatingIfNeeded: key(element) >> shift) & 0xFF
                        target[counts[digit]] = element
                        counts[digit] += 1
                    }
                    swap(&source, &target)
                    sortedIntoSpare.toggle()
                }
                if sortedIntoSpare { elements.update(fromContentsOf: other) }
            }
        }
    }
}
