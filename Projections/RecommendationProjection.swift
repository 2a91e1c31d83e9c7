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

/// Everything one reader did, per content: one row per reader, so a batch of
/// engagement rewrites each active reader once instead of inserting a row per pair.
public struct ReaderInteractions: Hashable, Sendable, BinaryCodable {
    /// Sorted by content id.
    public var entries: [(contentId: ContentID, counters: EngagementCounters)]

    public init() { entries = [] }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.contentId == $1.contentId && $0.counters == $1.counters }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries { hasher.combine(entry.contentId) }
    }

    public func encode(to w: inout BinaryWriter) {
        w.writeVarint(UInt64(entries.count))
        for entry in entries {
            w.write(entry.contentId)
            w.write(entry.counters)
        }
    }

    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        let count = Int(clamping: try r.readVarint())
        guard count <= 10_000_000 else { throw BinaryDecodingError(offset: r.offset, reason: "too many interactions") }
        entries = []
        entries.reserveCapacity(count)
        for _ in 0..<count { entries.append((try r.read(ContentID.self), try r.read(EngagementCounters.self))) }
    }

    /// Adds `deltas`; returns the contents the reader had not engaged with before.
    mutating func merge(_ deltas: [ContentID: EngagementCounters]) -> [ContentID] {
        var added: [ContentID] = []
        for (content, delta) in deltas {
            let index = entries.partitioningIndex { $0.contentId >= content }
            if index < entries.count, entries[index].contentId == content {
                entries[index].counters.add(delta)
            } else {
                entries.insert((content, delta), at: index)
                added.append(content)
            }
        }
        return added
    }
}

extension Array {
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

/// The features personalization learns from: reader × content interactions by kind,
/// content features, popularity, and (at query time, from the interactions) co-engagement.
///
/// Tables:
/// - `interactions`: readerId → ``ReaderInteractions``
/// - `content-readers`: contentId, readerId
/// - `features`: contentId → ``ContentFeatures``
/// - `popularity`: contentId → counters by kind
///
/// `SubjectErased` of a reader removes their interactions; popularity keeps its totals.
public struct RecommendationProjection: Projection {
    public static let name = "recommendations"
    public static let tables = ["interactions", "content-readers", "features", "popularity"]

    public init() {}

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        var interactions: [String: [ContentID: EngagementCounters]] = [:]
        var popularity: [ContentID: EngagementCounters] = [:]

        func flush() throws {
            // Readers in key order: neighbouring rows share pages.
            for (reader, deltas) in interactions.sorted(by: { $0.key < $1.key }) {
                let key = OrderedKey(reader)
                var row = try store.value("interactions", key, as: ReaderInteractions.self) ?? ReaderInteractions()
                for content in row.merge(deltas) {
                    try store.put("content-readers", OrderedKey(content.rawValue, reader))
                }
                try store.put("interactions", key, row)
            }
            for (content, delta) in popularity.sorted(by: { $0.key < $1.key }) {
                let key = OrderedKey(content.rawValue)
                var counters = try store.value("popularity", key, as: EngagementCounters.self) ?? EngagementCounters()
                counters.add(delta)
                try store.put("popularity", key, counters)
            }
            interactions.removeAll(keepingCapacity: true)
            popularity.removeAll(keepingCapacity: true)
        }

        for projected in events {
            switch projected.event {
            case .engagementRecorded(let e):
                let milli = EngagementCounters.milli(e.effectiveValue)
                popularity[e.contentId, default: EngagementCounters()].add(e.kind, milli: milli)
                if let reader = e.userId {
                    interactions[reader.rawValue, default: [:]][e.contentId, default: EngagementCounters()]
                        .add(e.kind, milli: milli)
                }
            case .contentCreated(let e):
                try store.put("features", OrderedKey(e.contentId.rawValue), ContentFeatures(
                    contentId: e.contentId, workspaceId: e.workspaceId, contentType: e.contentType, tone: e.tone,
                    keywords: e.keywords, isDeleted: false))
            case .contentUpdated(let e):
                try modifyFeatures(e.contentId, store) {
                    $0.contentType = e.contentType
                    $0.tone = e.tone
                    $0.keywords = e.keywords
                }
            case .contentDeleted(let e):
                try modifyFeatures(e.contentId, store) { $0.isDeleted = true }
            case .subjectErased(let e):
                try flush()
                let key = OrderedKey(e.subjectId)
                guard let row = try store.value("interactions", key, as: ReaderInteractions.self) else { continue }
                for entry in row.entries {
                    try store.delete("content-readers", OrderedKey(entry.contentId.rawValue, e.subjectId))
                }
                try store.delete("interactions", key)
            default:
                continue
            }
        }
        try flush()
    }

    private func modifyFeatures(_ id: ContentID, _ store: ProjectionWriter, _ change: (inout ContentFeatures) -> Void) throws {
        let key = OrderedKey(id.rawValue)
        guard var features = try store.value("features", key, as: ContentFeatures.self) else { return }
        change(&features)
        try store.put("features", key, features)
    }
}

/// A reader's interactions with one content.
public struct Interaction: Hashable, Sendable, Codable {
    public var contentId: ContentID
    public var totals: EngagementTotals
}

extension RecommendationProjection {
    public struct Queries {
        let reader: ProjectionReader
        public init(_ reader: ProjectionReader) { self.reader = reader }

        public func interactions(of readerID: String) throws -> [(ContentID, EngagementCounters)] {
            let row = try reader.value("interactions", OrderedKey(readerID), as: ReaderInteractions.self)
            return row?.entries.map { ($0.contentId, $0.counters) } ?? []
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
