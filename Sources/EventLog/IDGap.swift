import LMDB

/// A range of ids that holds no stored id, so the writer knows an event with an id inside
/// it is new without looking it up. It is the gap around the present in time-ordered
/// (version 7) ids: ids the engine mints land there, while ids derived from hashes or
/// sent by clients, which may sort anywhere, stay outside it.
struct IDGap {
    /// The largest stored id below the gap's end, and the smallest stored id at or above
    /// it; `nil` for none.
    private(set) var below: EventID?
    private(set) var above: EventID?

    /// The gap that ends a day past `now` (Unix milliseconds) in version-7 ids.
    init(around now: Int64, ids: LMDBDatabase, _ txn: LMDBTransaction) throws {
        let end = EventID(high: UInt64(max(now, 0) &+ 86_400_000) << 16, low: 0)
        (below, above) = try txn.withCursor(ids) { cursor in
            try end.withBytes { key in
                if let next = try cursor.seek(atLeast: key) {
                    return (try cursor.previous().map { EventID(bytes: $0.key) }, EventID(bytes: next.key))
                }
                return (try cursor.last().map { EventID(bytes: $0.key) }, nil)
            }
        }
    }

    func contains(_ id: EventID) -> Bool {
        (below.map { $0 < id } ?? true) && (above.map { id < $0 } ?? true)
    }

    /// Whether `id`, inside the gap, sorts after every stored id (it may be appended).
    func isLast(_ id: EventID) -> Bool { above == nil && contains(id) }

    /// Notes that `id`, inside the gap, was stored: the gap now starts after it.
    mutating func stored(_ id: EventID) { below = id }
}
