import EventLog
import Foundation
public import SmartContentDomain
public import SmartContentProjections

extension SmartContentEngine {
    /// A stream's events decoded, with when each was recorded, and its head version.
    struct LoadedStream {
        var events: [(event: DomainEvent, at: Instant)]
        var version: UInt64?

        var expected: ExpectedVersion { version.map { .exact($0) } ?? .noStream }
    }

    func load(_ stream: String) async throws -> LoadedStream {
        let name = try StreamName(stream)
        return try await log.offload {
            try self.log.withSnapshot { snapshot in
                var loaded = LoadedStream(events: [], version: nil)
                try snapshot.forEach(inStream: name) { view in
                    loaded.events.append((try self.vault.open(EventCatalog.decode(view)),
                                          Instant(millisecondsSince1970: view.recordedAt)))
                    loaded.version = view.version
                    return true
                }
                return loaded
            }
        }
    }

    /// Appends `events` atomically, each to its own stream; `expected` gives the expected
    /// version of the streams that need one (the others: any). Returns the last position.
    @discardableResult
    func append(
        _ events: [DomainEvent], by actor: String?, workspace: WorkspaceID?, expected: [String: ExpectedVersion] = [:],
        ids: [EventID]? = nil
    ) async throws -> UInt64 {
        var metadata = EventMetadata()
        metadata.actor = actor
        metadata.workspaceID = workspace?.rawValue
        let recordedAt = now.millisecondsSince1970
        var appends: [StreamAppend] = []
        var seen = Set<String>()
        // Sealing may create keys, with a durable commit of their own: off the cooperative pool.
        let sealed = events.contains(where: { $0.carriesPersonalData || $0.namesReadersInClear })
            ? try await log.offload { try self.vault.seal(events) } : events
        for (index, event) in sealed.enumerated() {
            let stored = NewEvent(id: ids?[index] ?? EventID(), type: event.type, schemaVersion: event.schemaVersion,
                                  metadata: metadata, payloadFormat: .binary, payload: EventCatalog.encodeBinary(event),
                                  recordedAt: recordedAt)
            if let last = appends.indices.last, appends[last].stream.rawValue == event.stream {
                appends[last].events.append(stored)
            } else {
                let stream = try StreamName(event.stream)
                // Only the first part of a stream carries the expectation.
                let first = seen.insert(event.stream).inserted
                appends.append(StreamAppend(stream: stream, expectedVersion: first ? expected[event.stream] ?? .any : .any,
                                            events: [stored]))
            }
        }
        let results = try await log.append(appends)
        try await destroyKeys(erasedIn: events)
        let last = results.map(\.lastPosition).max() ?? 0
        if events.contains(where: \.queuesDeliveries) { distributionDoorbell.ring(whenFoldedPast: last) }
        if events.contains(where: \.queuesWebhooks) { webhookDoorbell.ring(whenFoldedPast: last) }
        return last
    }

    /// A `SubjectErased` in the log means the subject's key is gone, and a
    /// `ChannelDisconnected` the channel's, however it got there (``erase(subject:by:)``,
    /// ``record(_:by:workspace:)``, an import).
    func destroyKeys(erasedIn events: [DomainEvent]) async throws {
        guard events.contains(where: {
            switch $0 {
            case .subjectErased, .channelDisconnected, .webhookUnsubscribed: true
            default: false
            }
        }) else { return }
        let time = now
        try await log.offload { try self.vault.destroyKeys(erasedIn: events, at: time) }
    }

    /// Loads `stream`, lets `decide` choose the events from its state, and appends them
    /// expecting the version it saw; when another writer got there first, does it again.
    func execute<T: Sendable>(
        on stream: String, by actor: Actor,
        _ decide: (LoadedStream) async throws -> ([DomainEvent], T)
    ) async throws -> Written<T> {
        // Another writer of the same stream makes the append fail its expected version:
        // decide again on the new state, after a short random pause that spreads out the
        // contenders, so unconditional writes of many concurrent clients all land.
        for attempt in 0..<16 {
            let loaded = try await load(stream)
            let (events, value) = try await decide(loaded)
            do {
                let position = try await append(events, by: actor.userId.rawValue, workspace: actor.workspaceId,
                                                expected: [stream: loaded.expected])
                return Written(value: value, position: position)
            } catch {
                guard case .wrongExpectedVersion = error as? EventLogError else { throw error }
                try await Task.sleep(for: .microseconds(Int.random(in: 0...(200 << min(attempt, 5)))))
            }
        }
        throw DomainError(.versionConflict, "it kept changing under concurrent writes; read it again and retry")
    }
}

extension SmartContentEngine {
    /// Appends events as they are, without the rules: for migrations, imports and tests.
    /// Returns the last position written.
    @discardableResult
    public func record(_ events: [DomainEvent], by actor: String? = nil, workspace: WorkspaceID? = nil) async throws -> UInt64 {
        guard !events.isEmpty else { return try log.lastPosition() }
        return try await append(events, by: actor, workspace: workspace)
    }

    /// The catalog events appended after `position`, decoded, in order.
    public func events(after position: UInt64, limit: Int = 10_000) async throws -> [ProjectedEvent] {
        try await log.offload {
            try self.log.withSnapshot { snapshot in
                var events: [ProjectedEvent] = []
                try snapshot.forEach(from: position + 1) { view in
                    guard let event = try? self.vault.open(EventCatalog.decode(view)) else { return true }
                    events.append(ProjectedEvent(position: view.position, recordedAt: Instant(millisecondsSince1970: view.recordedAt),
                                                 actor: try view.metadata().actor, event: event))
                    return events.count < limit
                }
                return events
            }
        }
    }
}
