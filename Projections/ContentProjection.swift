public import SmartContentDomain

/// Content by id with its current version, its version history, and lists by workspace,
/// by status and by author, newest first.
///
/// Tables:
/// - `content`: contentId → ``ContentState``
/// - `versions`: contentId, version → ``ContentVersion``
/// - `by-workspace`: workspaceId, createdAt↓, contentId
/// - `by-status`: workspaceId, status, createdAt↓, contentId
/// - `by-author`: workspaceId, authorId, createdAt↓, contentId
/// - `schedules`: scheduleId → contentId (a cancellation names only its schedule)
public struct ContentProjection: Projection {
    public static let name = "content"
    /// Milliseconds of its fold of the 1 M-event benchmark workload (2 cores).
    public static let foldCost = 330
    public static let foldsEngagement = false
    public static let tables = ["content", "versions", "by-workspace", "by-status", "by-author", "schedules"]

    public init() {}

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        var batch = try Batch(store: store, events: events.count)
        for projected in events {
            let time = projected.recordedAt
            switch projected.event {
            case .contentCreated(let e):
                let content = ContentState(e, at: time)
                try batch.create(content)
                batch.versions.append(Self.versionKey(e.contentId, 1), ContentVersion(
                    version: 1, title: e.title, body: e.body, changes: "created", editedBy: e.authorId, editedAt: time))
            case .contentUpdated(let e):
                try batch.modify(e.contentId, projected)
                batch.versions.append(Self.versionKey(e.contentId, e.version), ContentVersion(
                    version: e.version, title: e.title, body: e.body, changes: e.changes, editedBy: e.editedBy, editedAt: time))
            case .contentRefined(let e):
                try batch.modify(e.contentId, projected)
                batch.versions.append(Self.versionKey(e.contentId, e.version), ContentVersion(
                    version: e.version, title: e.title, body: e.body, changes: "refined: \(e.instructions)",
                    editedBy: e.editedBy, editedAt: time))
            case .contentDeleted(let e):
                try batch.modify(e.contentId, projected)
            case .collaboratorAdded(let e):
                try batch.modify(e.contentId, projected)
            case .contentPublished(let e):
                try batch.modify(e.contentId, projected)
            case .contentScheduled(let e):
                batch.schedules[e.scheduleId] = e.contentId
                try batch.modify(e.contentId, projected)
            case .scheduleCancelled(let e):
                guard let contentId = try batch.content(scheduledAs: e.scheduleId) else { continue }
                try batch.modify(contentId) { $0.cancelSchedule(e.scheduleId) }
            case .scheduleMissed(let e) where e.nextPublishTime == nil:
                // Its last occurrence will never publish: the content is no longer waiting for it.
                guard let contentId = try batch.content(scheduledAs: e.scheduleId) else { continue }
                try batch.modify(contentId) { $0.cancelSchedule(e.scheduleId) }
            default:
                continue
            }
        }
        try batch.write()
    }

    /// A batch's changes, kept in memory and written once per row at the end, in key
    /// order: content touched by many events is read, decoded and encoded once, and its
    /// list entries follow from its state before and after the batch.
    private struct Batch {
        let store: ProjectionWriter
        /// Content read or written in this batch, by slot: changed in place, each written once.
        var slots = SlotTable()
        /// `nil` when the store has none.
        var states: [ContentState?] = []
        var changed: [Bool] = []
        /// Created in this batch: listed anew.
        var created: [Bool] = []
        /// The stored status, where the store had the content: its `by-status` entry.
        var storedStatus: [ContentStatus?] = []
        /// In event order: a version given twice keeps the last (``ProjectionWriter/putAll(_:_:)``).
        var versions: RowBatch
        var schedules: [ScheduleID: ContentID] = [:]
        /// Whether the store held any content when the batch began; a rebuild's did not,
        /// and its creations need not look for a stored one.
        let storeHasContent: Bool

        /// `events`: how many the batch folds, to make room for its versions.
        init(store: ProjectionWriter, events: Int) throws {
            self.store = store
            versions = RowBatch(capacity: events / 2, bytesPerRow: 64)
            storeHasContent = try store.reader.count("content") > 0
        }

        mutating func slot(_ id: ContentID) throws -> Int {
            let slot = slots.slot(id.rawValue)
            if slot < states.count { return slot }
            return newSlot(state: try store.value("content", OrderedKey(id.rawValue), as: ContentState.self))
        }

        /// Fills the slot the table just gave a new id.
        mutating func newSlot(state: ContentState?) -> Int {
            states.append(state)
            changed.append(false)
            created.append(false)
            storedStatus.append(state?.status)
            return states.count - 1
        }

        /// A content created again (only an import can write that) replaces the one the
        /// store lists: the lists lose its entries at once, as they would folding event by
        /// event, whatever the batch holds.
        mutating func create(_ content: ContentState) throws {
            var slot = slots.slot(content.contentId.rawValue)
            if slot == states.count {
                let stored = storeHasContent
                    ? try store.value("content", OrderedKey(content.contentId.rawValue), as: ContentState.self) : nil
                slot = newSlot(state: stored)
            }
            if !created[slot], case .some = states[slot] {
                let old = states[slot].unsafelyUnwrapped
                try store.delete("by-workspace", ContentProjection.workspaceKey(old))
                try store.delete("by-author", ContentProjection.authorKey(old))
                if let status = storedStatus[slot] {
                    try store.delete("by-status", ContentProjection.statusKey(old, status: status))
                }
                storedStatus[slot] = nil
            }
            states[slot] = content
            changed[slot] = true
            created[slot] = true
        }

        mutating func content(scheduledAs id: ScheduleID) throws -> ContentID? {
            if let content = schedules[id] { return content }
            return try store.value("schedules", OrderedKey(id.rawValue), as: ContentID.self)
        }

        mutating func modify(_ id: ContentID, _ projected: ProjectedEvent) throws {
            try modify(id) { $0.apply(projected.event, at: projected.recordedAt) }
        }

        mutating func modify(_ id: ContentID, _ change: (inout ContentState) -> Void) throws {
            let slot = try slot(id)
            // Only the tag is looked at: `!= nil` copied the whole state (a retain per field).
            guard case .some = states[slot] else { return }
            // In place: a copy to compare with would retain every field, and comparing the
            // sets of collaborators and schedules hashes them. An unchanged row written
            // again is the same bytes.
            change(&states[slot]!)
            changed[slot] = true
        }

        func write() throws {
            var rows = RowBatch(capacity: states.count, bytesPerRow: 128)
            var byWorkspace = RowBatch(capacity: states.count, bytesPerRow: 48)
            var byAuthor = RowBatch(capacity: states.count, bytesPerRow: 48)
            var byStatus = RowBatch(capacity: states.count, bytesPerRow: 48)
            func add(_ state: borrowing ContentState, slot: Int) throws {
                rows.append(OrderedKey(state.contentId.rawValue), state)
                if created[slot] {
                    byWorkspace.append(ContentProjection.workspaceKey(state))
                    byAuthor.append(ContentProjection.authorKey(state))
                    byStatus.append(ContentProjection.statusKey(state))
                } else if let stored = storedStatus[slot], stored != state.status {
                    try store.delete("by-status", ContentProjection.statusKey(state, status: stored))
                    byStatus.append(ContentProjection.statusKey(state))
                }
            }
            for slot in states.indices where changed[slot] {
                // Handed on straight from the array: bound by `if let`, every changed state
                // was copied (perf: five times the copies).
                if case .some = states[slot] { try add(states[slot].unsafelyUnwrapped, slot: slot) }
            }
            try store.putAll("content", rows)
            try store.putAll("versions", versions)
            rows = RowBatch(capacity: schedules.count)
            for (schedule, content) in schedules { rows.append(OrderedKey(schedule.rawValue), content) }
            try store.putAll("schedules", rows)
            try store.putAll("by-workspace", byWorkspace)
            try store.putAll("by-author", byAuthor)
            try store.putAll("by-status", byStatus)
        }
    }

    static func versionKey(_ id: ContentID, _ version: Int) -> OrderedKey {
        var key = OrderedKey(id.rawValue)
        key.append(UInt64(version))
        return key
    }

    static func workspaceKey(_ c: ContentState) -> OrderedKey {
        var key = OrderedKey(c.workspaceId.rawValue)
        key.appendDescending(c.createdAt.millisecondsSince1970)
        key.append(c.contentId.rawValue)
        return key
    }

    /// `status`: the entry `c` had with another status.
    static func statusKey(_ c: ContentState, status: ContentStatus? = nil) -> OrderedKey {
        var key = OrderedKey(c.workspaceId.rawValue, (status ?? c.status).rawValue)
        key.appendDescending(c.createdAt.millisecondsSince1970)
        key.append(c.contentId.rawValue)
        return key
    }

    static func authorKey(_ c: ContentState) -> OrderedKey {
        var key = OrderedKey(c.workspaceId.rawValue, c.authorId.rawValue)
        key.appendDescending(c.createdAt.millisecondsSince1970)
        key.append(c.contentId.rawValue)
        return key
    }
}

/// One version of a piece of content.
public struct ContentVersion: Hashable, Sendable, Codable, BinaryCodable {
    public var version: Int
    public var title: String
    public var body: String
    public var changes: String
    public var editedBy: UserID
    public var editedAt: Instant

    public func encode(to w: inout BinaryWriter) {
        w.write(version); w.write(title); w.write(body); w.write(changes); w.write(editedBy); w.write(editedAt)
    }
    public init(version: Int, title: String, body: String, changes: String, editedBy: UserID, editedAt: Instant) {
        self.version = version
        self.title = title
        self.body = body
        self.changes = changes
        self.editedBy = editedBy
        self.editedAt = editedAt
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        version = try r.read(); title = try r.read(); body = try r.read(); changes = try r.read()
        editedBy = try r.read(); editedAt = try r.read()
    }
}

/// Content as clients see it (DESIGN section 7).
public struct ContentView: Hashable, Sendable, Codable {
    public var contentId: ContentID
    public var workspaceId: WorkspaceID
    public var authorId: UserID
    public var title: String
    public var body: String
    public var contentType: ContentType
    public var tone: Tone?
    public var keywords: [String]
    public var status: ContentStatus
    public var version: Int
    public var collaborators: [UserID]
    public var createdAt: Instant
    public var updatedAt: Instant

    public init(_ state: ContentState) {
        contentId = state.contentId
        workspaceId = state.workspaceId
        authorId = state.authorId
        title = state.title
        body = state.body
        contentType = state.contentType
        tone = state.tone
        keywords = state.keywords
        status = state.status
        version = state.version
        collaborators = state.collaborators.sorted()
        createdAt = state.createdAt
        updatedAt = state.updatedAt
    }

    /// Every field, `tone` as `null` when unset: clients see one shape everywhere.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(contentId, forKey: .contentId)
        try container.encode(workspaceId, forKey: .workspaceId)
        try container.encode(authorId, forKey: .authorId)
        try container.encode(title, forKey: .title)
        try container.encode(body, forKey: .body)
        try container.encode(contentType, forKey: .contentType)
        try container.encode(tone, forKey: .tone)
        try container.encode(keywords, forKey: .keywords)
        try container.encode(status, forKey: .status)
        try container.encode(version, forKey: .version)
        try container.encode(collaborators, forKey: .collaborators)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

extension ContentProjection {
    /// Queries over a snapshot of the content projection.
    public struct Queries {
        let reader: ProjectionReader
        public init(_ reader: ProjectionReader) { self.reader = reader }

        /// The content's state, whatever its workspace (callers scope it).
        public func state(_ id: ContentID) throws -> ContentState? {
            try reader.value("content", OrderedKey(id.rawValue), as: ContentState.self)
        }

        /// The content if it belongs to `workspace` (deleted content included: its status says so).
        public func content(_ id: ContentID, in workspace: WorkspaceID) throws -> ContentView? {
            guard let state = try state(id), state.workspaceId == workspace else { return nil }
            return ContentView(state)
        }

        public func versions(_ id: ContentID) throws -> [ContentVersion] {
            var versions: [ContentVersion] = []
            try reader.scan("versions", prefix: OrderedKey(id.rawValue)) { _, value in
                var binary = BinaryReader(value)
                versions.append(try ContentVersion(from: &binary))
                return true
            }
            return versions
        }

        /// Content of `workspace`, newest first, optionally only one status or author.
        /// Deleted content is listed only when asked for by status.
        public func list(
            in workspace: WorkspaceID, status: ContentStatus? = nil, author: UserID? = nil,
            limit: Int = Page<ContentView>.defaultLimit, cursor: [UInt8]? = nil
        ) throws -> Page<ContentView> {
            let table: String
            let prefix: OrderedKey
            if let status {
                table = "by-status"
                prefix = OrderedKey(workspace.rawValue, status.rawValue)
            } else if let author {
                table = "by-author"
                prefix = OrderedKey(workspace.rawValue, author.rawValue)
            } else {
                table = "by-workspace"
                prefix = OrderedKey(workspace.rawValue)
            }
            var items: [ContentView] = []
            var lastKey: [UInt8]?
            var more = false
            try reader.scan(table, prefix: prefix, after: cursor) { key, _ in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                _ = parts.uint64()
                let id = ContentID(unchecked: parts.string())
                guard let state = try state(id) else { return true }
                if status == nil && state.status == .deleted { return true }
                if let author, state.authorId != author { return true }
                if items.count == limit {
                    more = true
                    return false
                }
                items.append(ContentView(state))
                lastKey = Array(key)
                return true
            }
            return Page(items: items, nextCursor: more ? lastKey.map(PageCursor.encode) : nil)
        }
    }
}
