import Synchronization

/// The last log position each session wrote, so that the session's reads wait for its own
/// writes without the client sending `X-Min-Position`: read-your-writes by default. Other
/// sessions stay eventually consistent.
///
/// Bounded: a full table first drops the sessions whose writes every projection has
/// folded (they make no read wait), then, if still full, forgets everything (a read may
/// then be as stale as any other session's, never wrong).
final class SessionPositions: Sendable {
    private let positions = Mutex<[String: UInt64]>([:])
    let capacity: Int

    init(capacity: Int = 100_000) { self.capacity = capacity }

    func position(of session: String) -> UInt64? { positions.withLock { $0[session] } }

    /// Remembers that `session` wrote up to `position`; `folded` tells how far every
    /// projection has folded, asked only when the table is full.
    func record(_ position: UInt64, for session: String, folded: () -> UInt64) {
        positions.withLock { table in
            if table.count >= capacity, table[session] == nil {
                let floor = folded()
                table = table.filter { $0.value > floor }
                if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            }
            table[session] = max(table[session] ?? 0, position)
        }
    }
}
