import LMDB

/// What to do with events whose id is already in the log.
public enum DuplicatePolicy: Sendable {
    /// The whole append is either new (written) or an exact repeat of an earlier one
    /// (nothing written, the original positions returned); a mix is an
    /// ``EventLogError/eventIDConflict(id:existingPosition:reason:)``.
    case idempotent
    /// Events already present (identical) are skipped one by one; the rest is appended.
    /// Used by imports, so a file imported twice, or resumed, appends each event once.
    case skipExisting
}

/// One caller's atomic append, as the writer thread sees it.
struct AppendRequest: Sendable {
    var appends: [StreamAppend]
    var duplicates: DuplicatePolicy

    /// Checks everything that does not need the store, so the writer only meets storage
    /// questions (versions, ids).
    func validate() throws(EventLogError) {
        guard !appends.isEmpty else { throw .invalidEvent("an append needs at least one stream") }
        var seen = Set<EventID>(minimumCapacity: eventCount)
        for append in appends {
            guard !append.events.isEmpty else { throw .invalidEvent("an append to '\(append.stream)' has no events") }
            for event in append.events {
                try event.validate()
                guard seen.insert(event.id).inserted else {
                    throw .invalidEvent("event id \(event.id) appears twice in one append")
                }
            }
        }
    }

    var eventCount: Int { appends.reduce(0) { $0 + $1.events.count } }
}

extension LogStore {
    /// Applies one request inside the writer's transaction. Conflicts are returned, not
    /// thrown: they leave the transaction untouched (every check runs before the first
    /// write), so the other requests of the group commit still go through. Only storage
    /// errors throw, aborting the whole transaction.
    ///
    /// `gap` holds no stored id and is kept so here: ids minted by the engine fall in it,
    /// need no lookup to be known as new, and usually go to the end of the id index
    /// without a search.
    func apply(
        _ request: AppendRequest, nextPosition: inout UInt64, gap: inout IDGap, now: Int64, _ txn: LMDBTransaction
    ) throws -> Result<[AppendResult], EventLogError> {
        // 1. Ids already in the log. Usually none, so the table of existing positions
        //    (indexed by the event's ordinal in the request) is only built when needed.
        let total = request.eventCount
        var existing: [UInt64]?
        var existingCount = 0
        var someExisting: (id: EventID, position: UInt64)?
        var ordinal = 0
        for append in request.appends {
            for event in append.events {
                defer { ordinal += 1 }
                if gap.contains(event.id) { continue }
                guard let position = try position(ofID: event.id, txn) else { continue }
                guard let stored = try view(at: position, txn) else {
                    throw EventLogError.corruptRecord(position: position, reason: "id index points to a missing record")
                }
                if let difference = difference(stored, event, append.stream) {
                    return .failure(.eventIDConflict(id: event.id, existingPosition: position, reason: difference))
                }
                if existing == nil { existing = [UInt64](repeating: 0, count: total) }
                existing![ordinal] = position
                existingCount += 1
                someExisting = (event.id, position)
            }
        }
        if existingCount == total {
            return .success(try repeatedResults(request, existing!, txn))
        }
        if let someExisting, request.duplicates == .idempotent {
            return .failure(.eventIDConflict(
                id: someExisting.id, existingPosition: someExisting.position,
                reason: "\(existingCount) of the \(total) events of this append are already in the log"))
        }

        // 2. Expected versions, against heads that include earlier parts of this request.
        //    Each distinct stream gets a slot; parts of the request refer to slots by index.
        var slots: [StreamName: Int] = [:]
        slots.reserveCapacity(request.appends.count)
        var heads: [StreamHead?] = []
        heads.reserveCapacity(request.appends.count)
        var storedHeads: [StreamHead?] = []
        storedHeads.reserveCapacity(request.appends.count)
        var slotOfAppend: [Int] = []
        slotOfAppend.reserveCapacity(request.appends.count)
        ordinal = 0
        for append in request.appends {
            let slot: Int
            if let known = slots[append.stream] {
                slot = known
            } else {
                slot = heads.count
                slots[append.stream] = slot
                let stored = try head(of: append.stream, txn)
                heads.append(stored)
                storedHeads.append(stored)
            }
            slotOfAppend.append(slot)
            let head = heads[slot]
            var added: UInt64 = 0
            for _ in append.events {
                if existing?[ordinal] ?? 0 == 0 { added += 1 }
                ordinal += 1
            }
            // A part whose events are all stored already (skipExisting) was checked when
            // it was first appended.
            guard added > 0 else { continue }
            guard append.expectedVersion.isSatisfied(byHead: head?.version) else {
                return .failure(.wrongExpectedVersion(stream: append.stream, expected: append.expectedVersion,
                                                      actual: head?.version))
            }
            heads[slot] = StreamHead(version: head.map { $0.version + added } ?? added - 1, lastPosition: 0)
        }

        // 3. Write. Nothing below can fail for a reason other than storage.
        heads = storedHeads
        var results: [AppendResult] = []
        results.reserveCapacity(request.appends.count)
        ordinal = 0
        for (index, append) in request.appends.enumerated() {
            let slot = slotOfAppend[index]
            var head = heads[slot]
            var firstPosition: UInt64 = 0
            var lastExisting: UInt64 = 0
            var firstExisting: UInt64 = 0
            for event in append.events {
                defer { ordinal += 1 }
                if let position = existing?[ordinal], position != 0 {
                    if firstExisting == 0 { firstExisting = position }
                    lastExisting = position
                    continue
                }
                let position = nextPosition
                nextPosition += 1
                let version = head.map { $0.version + 1 } ?? 0
                try write(event, stream: append.stream, position: position, version: version,
                          previous: head?.lastPosition ?? 0, recordedAt: event.recordedAt ?? now, gap: &gap, txn)
                if firstPosition == 0 { firstPosition = position }
                head = StreamHead(version: version, lastPosition: position)
            }
            heads[slot] = head
            if firstPosition == 0 {
                // Every event of this part was already present (skipExisting).
                let lastVersion = try view(at: lastExisting, txn)?.version ?? 0
                results.append(AppendResult(stream: append.stream, firstPosition: firstExisting,
                                            lastPosition: lastExisting, nextExpectedVersion: lastVersion,
                                            alreadyPresent: true))
            } else {
                results.append(AppendResult(stream: append.stream, firstPosition: firstPosition,
                                            lastPosition: head!.lastPosition, nextExpectedVersion: head!.version,
                                            alreadyPresent: false))
            }
        }
        for (stream, slot) in slots {
            if let head = heads[slot] { try putHead(head, of: stream, txn) }
        }
        return .success(results)
    }

    private func write(
        _ event: NewEvent, stream: StreamName, position: UInt64, version: UInt64, previous: UInt64,
        recordedAt: Int64, gap: inout IDGap, _ txn: LMDBTransaction
    ) throws {
        let size = EventRecord.size(stream: stream, event: event)
        try withUnsafeBytes(of: position.bigEndian) { key in
            try txn.put(events, key: key, reserving: size, flags: .append) { buffer in
                EventRecord.encode(event, stream: stream, position: position, version: version, previous: previous,
                                   recordedAt: recordedAt, into: buffer)
            }
            let flags: LMDBTransaction.PutFlags = gap.isLast(event.id) ? .append : .noOverwrite
            try event.id.withBytes { try txn.put(ids, key: $0, value: key, flags: flags) }
            if gap.contains(event.id) { gap.stored(event.id) }
            if version % Self.streamIndexStride == 0 {
                try withStreamIndexKey(stream, version) { try txn.put(streamIndex, key: $0, value: key, flags: .noOverwrite) }
            }
        }
    }

    /// Why `stored` is not the same event as `event`, or `nil` when it is.
    private func difference(_ stored: EventView, _ event: NewEvent, _ stream: StreamName) -> String? {
        if !stored.streamBytes.elementsEqual(stream.rawValue.utf8) { return "it was appended to stream '\(stored.stream)'" }
        if !stored.typeBytes.elementsEqual(event.type.utf8) { return "it has type '\(stored.type)'" }
        if stored.payloadFormat != event.payloadFormat { return "it has payload format \(stored.payloadFormat)" }
        let samePayload = event.payload.withUnsafeBytes { stored.payloadBytes.elementsEqual($0) }
        if !samePayload { return "it has a different payload" }
        return nil
    }

    private func repeatedResults(_ request: AppendRequest, _ existing: [UInt64], _ txn: LMDBTransaction) throws -> [AppendResult] {
        var ordinal = 0
        return try request.appends.map { append in
            let first = existing[ordinal], last = existing[ordinal + append.events.count - 1]
            ordinal += append.events.count
            guard let lastView = try view(at: last, txn) else {
                throw EventLogError.corruptRecord(position: last, reason: "id index points to a missing record")
            }
            return AppendResult(stream: append.stream, firstPosition: first, lastPosition: last,
                                nextExpectedVersion: lastView.version, alreadyPresent: true)
        }
    }
}
