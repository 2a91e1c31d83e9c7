/// The order in which one list of phrases is used: shuffled, every phrase once before any
/// comes back, so that a long text spreads its phrases evenly instead of repeating a few.
/// A caller may look a few draws ahead and take any of them.
struct Deck: Sendable {
    let size: Int
    private var order: [Int] = []
    private var position = 0
    /// Phrases taken so far.
    private(set) var taken = 0

    /// How many times, on average, each phrase has been used.
    var rounds: Int { size == 0 ? 0 : taken / size }

    init(size: Int) { self.size = size }

    /// Puts `used` phrases at the end of the first round: a text being edited used them.
    mutating func useLast(_ used: Set<Int>, _ random: inout SplitMix64) {
        guard order.count == position, !used.isEmpty else { return }
        let fresh = (0..<size).filter { !used.contains($0) }, stale = (0..<size).filter { used.contains($0) }
        order += random.permutation(fresh.count).map { fresh[$0] } + random.permutation(stale.count).map { stale[$0] }
    }

    /// The phrase `offset` draws ahead.
    mutating func peek(_ offset: Int, _ random: inout SplitMix64) -> Int {
        precondition(size > 0)
        while order.count <= position + offset {
            var next = random.permutation(size)
            // No phrase twice in a row across two rounds.
            if size > 1, let last = order.last, next[0] == last { next.swapAt(0, 1 + random.below(size - 1)) }
            order += next
        }
        return order[position + offset]
    }

    /// Uses the phrase `offset` draws ahead (peeked before); the others stay in line.
    @discardableResult
    mutating func take(_ offset: Int) -> Int {
        order.swapAt(position, position + offset)
        let taken = order[position]
        position += 1
        self.taken += 1
        if position >= 4096 {
            order.removeFirst(position)
            position = 0
        }
        return taken
    }
}
