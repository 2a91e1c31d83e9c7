public import SmartContentDomain

/// What a piece of content is about, for content-based recommendation.
public struct ContentFeatures: Hashable, Sendable, Codable, BinaryCodable {
    public var contentId: ContentID
    public var workspaceId: WorkspaceID
    public var contentType: ContentType
    public var tone: Tone?
    public var keywords: [String]
    public var isDeleted: Bool

    public func encode(to w: inout BinaryWriter) {
        w.write(contentId); w.write(workspaceId); w.write(contentType); w.write(tone); w.write(keywords); w.write(isDeleted)
    }
    public init(contentId: ContentID, workspaceId: WorkspaceID, contentType: ContentType, tone: Tone?, keywords: [String],
                isDeleted: Bool) {
        self.contentId = contentId
        self.workspaceId = workspaceId
        self.contentType = contentType
        self.tone = tone
        self.keywords = keywords
        self.isDeleted = isDeleted
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        contentId = try r.read(); workspaceId = try r.read(); contentType = try r.read(); tone = try r.read()
        keywords = try r.read(); isDeleted = try r.read()
    }
}

/// The features personalization learns from: reader × content interactions by kind,
/// content features, popularity, and (at query time, from the interactions) co-engagement.
///
/// Tables:
/// - `interactions`: readerId, contentId → counters by kind
/// - `content-readers`: contentId, readerId
/// - `features`: contentId → ``ContentFeatures``
/// - `popularity`: contentId → counters by kind
///
/// `SubjectErased` of a reader removes their interactions; popularity keeps its totals.
public struct RecommendationProjection: Projection {
    public static let name = "recommendations"
    /// 2: conversions counted apart from their values.
    public static let formatVersion: UInt32 = 2
    /// Milliseconds of its fold of the 1 M-event benchmark workload (2 cores).
    public static let foldCost = 390
    public static let tables = ["interactions", "content-readers", "features", "popularity"]

    public init() {}

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        // The batch's deltas, summed in memory and written once at the end. Readers and
        // contents get batch-local slots; the sums per pair come from sorting, not hashing.
        var readers = SlotTable()
        var contents = SlotTable()
        var popularity: [EngagementCounters?] = []
        // One entry per engagement with a reader, sorted by reader and content once the batch is read.
        var interactions: [EngagementDelta] = []
        interactions.reserveCapacity(events.count)
        // Slots of readers erased in this batch after engaging in it: their sums so far
        // are forgotten, and later engagement counts afresh under a new slot.
        var forgotten: Set<Int> = []
        // Readers erased in this batch whose stored rows are already gone.
        var purged: Set<String> = []
        // By content slot, the features of contents created or changed in this batch: each
        // row written once, at the end.
        var features: [ContentFeatures?] = []
        // Whether the features of a content slot were looked for in the store.
        var featuresRead: [Bool] = []

        func modifyFeatures(_ id: ContentID, _ change: (inout ContentFeatures) -> Void) throws {
            let slot = contentSlot(id)
            if !featuresRead[slot] {
                featuresRead[slot] = true
                features[slot] = try store.value("features", OrderedKey(id.rawValue), as: ContentFeatures.self)
            }
            guard features[slot] != nil else { return }
            change(&features[slot]!)
        }

        func contentSlot(_ id: ContentID) -> Int {
            let slot = contents.slot(id.rawValue)
            if slot == popularity.count {
                popularity.append(nil)
                features.append(nil)
                featuresRead.append(false)
            }
            return slot
        }

        for projected in events {
            switch projected.event {
            case .engagementRecorded(let e):
                let milli = EngagementCounters.milli(of: e)
                let content = contentSlot(e.contentId)
                popularity[content, default: EngagementCounters()].add(e.kind, milli: milli)
                if let reader = e.userId?.rawValue {
                    interactions.append(EngagementDelta(high: readers.slot(reader), low: UInt32(content), kind: e.kind, milli: milli))
                }
            case .contentCreated(let e):
                let slot = contentSlot(e.contentId)
                featuresRead[slot] = true
                features[slot] = ContentFeatures(
                    contentId: e.contentId, workspaceId: e.workspaceId, contentType: e.contentType, tone: e.tone,
                    keywords: e.keywords, isDeleted: false)
            case .contentUpdated(let e):
                try modifyFeatures(e.contentId) {
                    $0.contentType = e.contentType
                    $0.tone = e.tone
                    $0.keywords = e.keywords
                }
            case .contentRefined(let e) where e.tone != nil || e.keywords != nil:
                try modifyFeatures(e.contentId) {
                    if let tone = e.tone { $0.tone = tone }
                    if let keywords = e.keywords { $0.keywords = keywords }
                }
            case .contentDeleted(let e):
                try modifyFeatures(e.contentId) { $0.isDeleted = true }
            case .subjectErased(let e):
                // Erasure forgets what was summed so far in memory too.
                if let slot = readers.forget(e.subjectId) { forgotten.insert(slot) }
                if purged.insert(e.subjectId).inserted { try purgeStoredInteractions(of: e.subjectId, store) }
            default:
                continue
            }
        }

        if !forgotten.isEmpty { interactions.removeAll { forgotten.contains($0.high) } }
        // Readers and contents ranked in key order: the sums come out in the table's order.
        let readerOrder = readers.ids.ranks { $0 < $1 }
        let contentOrder = contents.ids.ranks { $0 < $1 }
        var key = OrderedKey()
        var rows = RowBatch(capacity: interactions.count / 2)
        interactions.sumByKey(rankingHigh: readerOrder.ranks, low: contentOrder.ranks) { pair, sum in
            key.removeAll()
            key.append(readers[readerOrder.inOrder[Int(pair >> 32)]])
            key.append(contents[contentOrder.inOrder[Int(pair & 0xFFFF_FFFF)]])
            rows.append(key, sum)
        }
        var readersOfContent = RowBatch(capacity: rows.count)
        try store.mergeAll("interactions", rows, as: EngagementCounters.self, { $0.add($1) }, inserted: { readerAndContent in
            key.removeAll()
            key.appendSwappingFirstTwoParts(of: readerAndContent)
            readersOfContent.append(key)
        })
        try store.putAll("content-readers", readersOfContent)
        rows = RowBatch(capacity: contents.count)
        for content in popularity.indices {
            guard let delta = popularity[content] else { continue }
            key.removeAll()
            key.append(contents[content])
            rows.append(key, delta)
        }
        try store.mergeAll("popularity", rows, as: EngagementCounters.self) { $0.add($1) }
        rows = RowBatch(capacity: contents.count)
        for content in features.indices {
            guard let row = features[content] else { continue }
            key.removeAll()
            key.append(contents[content])
            rows.append(key, row)
        }
        try store.putAll("features", rows)
    }

    private func purgeStoredInteractions(of reader: String, _ store: ProjectionWriter) throws {
        var contents: [String] = []
        try store.reader.scan("interactions", prefix: OrderedKey(reader)) { key, _ in
            var parts = OrderedKeyReader(key)
            _ = parts.string()
            contents.append(parts.string())
            return true
        }
        for content in contents {
            try store.delete("interactions", OrderedKey(reader, content))
            try store.delete("content-readers", OrderedKey(content, reader))
        }
    }
}

/// A reader's interactions with one content.
public struct Interaction: Hashable, Sendable, Codable {
    public var contentId: ContentID
    public var totals: EngagementTotals

    public init(contentId: ContentID, totals: EngagementTotals) {
        self.contentId = contentId
        self.totals = totals
    }
}

extension RecommendationProjection {
    public struct Queries {
        let reader: ProjectionReader
        public init(_ reader: ProjectionReader) { self.reader = reader }

        public func interactions(of readerID: String) throws -> [(ContentID, EngagementCounters)] {
            var result: [(ContentID, EngagementCounters)] = []
            let prefix = OrderedKey(readerID)
            try reader.scan("interactions", prefix: prefix) { key, value in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                var binary = BinaryReader(value)
                result.append((ContentID(unchecked: parts.string()), try EngagementCounters(from: &binary)))
                return true
            }
            return result
        }

        public func readers(of content: ContentID) throws -> [String] {
            var result: [String] = []
            let prefix = OrderedKey(content.rawValue)
            try reader.scan("content-readers", prefix: prefix) { key, _ in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                result.append(parts.string())
                return true
            }
            return result
        }

        public func features(_ content: ContentID) throws -> ContentFeatures? {
            try reader.value("features", OrderedKey(content.rawValue), as: ContentFeatures.self)
        }

        public func popularity(_ content: ContentID) throws -> EngagementCounters {
            try reader.value("popularity", OrderedKey(content.rawValue), as: EngagementCounters.self) ?? EngagementCounters()
        }

        /// For each other content, how many distinct readers engaged with both it and `content`.
        public func coEngagement(with content: ContentID) throws -> [ContentID: Int] {
            var counts: [ContentID: Int] = [:]
            for readerID in try readers(of: content) {
                for (other, _) in try interactions(of: readerID) where other != content {
                    counts[other, default: 0] += 1
                }
            }
            return counts
        }
    }
}
