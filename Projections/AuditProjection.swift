public import SmartContentDomain

/// One line of the audit trail: who did what to which entity, when, at which position.
public struct AuditEntry: Hashable, Sendable, Codable, BinaryCodable {
    public var position: UInt64
    public var at: Instant
    public var actor: String
    public var type: String
    /// The stream the event belongs to, e.g. `content-cnt_1`.
    public var entity: String

    public init(position: UInt64, at: Instant, actor: String, type: String, entity: String) {
        self.position = position
        self.at = at
        self.actor = actor
        self.type = type
        self.entity = entity
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(position); w.write(at); w.write(actor); w.write(type); w.write(entity)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        position = try r.read(); at = try r.read(); actor = try r.read(); type = try r.read(); entity = try r.read()
    }
}

/// The audit trail per subject (the actor, `system` when none) and per entity (stream),
/// oldest first. Engagement is telemetry, not an action on the platform, and is left to
/// the log itself (`smartcontent replay --type EngagementRecorded`).
///
/// Tables:
/// - `by-subject`: actor, position → ``AuditEntry``
/// - `by-entity`: stream, position → ``AuditEntry``
public struct AuditProjection: Projection {
    public static let name = "audit"
    /// Milliseconds of its fold of the 1 M-event benchmark workload (2 cores).
    public static let foldCost = 330
    public static let foldsEngagement = false
    public static let tables = ["by-subject", "by-entity"]

    public init() {}

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        // At most one row per event in each, of ~100 bytes (the runner hands audit no
        // engagement, so nearly every event makes one).
        var bySubject = RowBatch(capacity: events.count, bytesPerRow: 128)
        var byEntity = RowBatch(capacity: events.count, bytesPerRow: 128)
        var key = OrderedKey()
        var value = BinaryWriter(capacity: 128)
        for projected in events {
            if case .engagementRecorded = projected.event { continue }
            let entry = AuditEntry(position: projected.position, at: projected.recordedAt, actor: projected.actor ?? "system",
                                   type: projected.event.type, entity: projected.event.stream)
            value.removeAll()
            entry.encode(to: &value)
            key.removeAll()
            key.append(entry.actor)
            key.append(entry.position)
            bySubject.append(key, encoded: value.bytes)
            key.removeAll()
            key.append(entry.entity)
            key.append(entry.position)
            byEntity.append(key, encoded: value.bytes)
        }
        // In key order: the rows past each table's last key are appended.
        try store.putAll("by-subject", bySubject)
        try store.putAll("by-entity", byEntity)
    }
}

extension AuditProjection {
    public struct Queries {
        let reader: ProjectionReader
        public init(_ reader: ProjectionReader) { self.reader = reader }

        /// What `subject` did, oldest first, after position `after`.
        public func bySubject(_ subject: String, after: UInt64 = 0, limit: Int = 100) throws -> [AuditEntry] {
            try entries("by-subject", subject, after: after, limit: limit)
        }

        /// What happened to `entity` (a stream name), oldest first.
        public func byEntity(_ entity: String, after: UInt64 = 0, limit: Int = 100) throws -> [AuditEntry] {
            try entries("by-entity", entity, after: after, limit: limit)
        }

        private func entries(_ table: String, _ id: String, after: UInt64, limit: Int) throws -> [AuditEntry] {
            var start = OrderedKey(id)
            start.append(after)
            var entries: [AuditEntry] = []
            try reader.scan(table, prefix: OrderedKey(id), after: start.bytes) { _, value in
                var binary = BinaryReader(value)
                entries.append(try AuditEntry(from: &binary))
                return entries.count < limit
            }
            return entries
        }
    }
}
