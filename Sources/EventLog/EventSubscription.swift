/// A catch-up subscription: every event after a position, in order, then live events as
/// they are appended, with no gap and no duplicate (positions are dense, and the
/// subscription reads by position whether it is catching up or live).
///
/// Iteration ends when the task is cancelled or the log is closed. It also sees appends
/// made by other processes, within ``pollInterval``.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    let log: EventLog
    let after: UInt64
    let filter: EventFilter
    /// How often an idle subscription looks for appends made by other processes.
    public var pollInterval: Duration = .milliseconds(100)
    /// Events read per store round trip while catching up.
    public var batchSize = 512

    public func makeAsyncIterator() -> Iterator {
        Iterator(subscription: self, scanned: after)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let subscription: EventSubscription
        /// Every position up to this one has been looked at.
        var scanned: UInt64
        var buffer: [RecordedEvent] = []
        var index = 0

        public mutating func next() async throws -> RecordedEvent? {
            while true {
                if index < buffer.count {
                    defer { index += 1 }
                    return buffer[index]
                }
                if Task.isCancelled || subscription.log.head.isClosed { return nil }
                let events: [RecordedEvent], scannedTo: UInt64
                do {
                    (events, scannedTo) = try await fetch(after: scanned)
                } catch EventLogError.closed {
                    // Closed between the check above and the read: the same end, just later.
                    return nil
                }
                buffer = events
                index = 0
                if scannedTo == scanned {
                    await subscription.log.head.wait(forHeadAbove: scanned, timeout: subscription.pollInterval)
                }
                scanned = scannedTo
            }
        }

        private func fetch(after position: UInt64) async throws -> ([RecordedEvent], UInt64) {
            let log = subscription.log
            let filter = subscription.filter
            let batchSize = subscription.batchSize
            return try await log.offload {
                try log.withSnapshot { snapshot in
                    var events: [RecordedEvent] = []
                    var scanned = position
                    // Bound the scan too, so a filter that matches little still yields progress.
                    let scanLimit = position + UInt64(batchSize) * 64
                    let compiled = filter.isAll ? nil : EventFilter.Compiled(filter)
                    try snapshot.forEach(from: position + 1) { view in
                        if view.position > scanLimit { return false }
                        scanned = view.position
                        if compiled?.matches(view) ?? true {
                            events.append(try view.materialize())
                        }
                        return events.count < batchSize
                    }
                    return (events, scanned)
                }
            }
        }
    }
}

extension EventLog {
    /// Every event with a position above `position` that passes `filter`: first those
    /// already stored, then new ones as they are appended. Pass 0 for the whole log.
    public func subscribe(after position: UInt64 = 0, filter: EventFilter = .all) -> EventSubscription {
        EventSubscription(log: self, after: position, filter: filter)
    }

    /// Waits until the log holds `position` (appends of other processes included), at most
    /// `timeout`. Returns whether it does.
    public func waitForPosition(_ position: UInt64, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if head.head >= position { return true }
            if let last = try? await offload({ try self.lastPosition() }), last >= position { return true }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero || Task.isCancelled { return false }
            await head.wait(forHeadAbove: position - 1, timeout: min(remaining, .milliseconds(100)))
        }
    }
}
