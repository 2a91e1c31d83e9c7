/// A read model: a fold of the log into tables of its own LMDB environment.
///
/// The runner hands `apply` batches of events in position order, each batch after the
/// projection's checkpoint, inside one write transaction that also records the new
/// checkpoint; so state and checkpoint never disagree. `apply` must be deterministic:
/// folding the same events in batches of any size gives byte-identical tables, which
/// is what lets a rebuild be compared with the live projection.
public protocol Projection: Sendable {
    /// The name used on disk (`projections/<name>`), by the CLI and over HTTP.
    static var name: String { get }
    /// The tables it stores, opened before the first batch.
    static var tables: [String] { get }

    /// Roughly how long this projection's fold of a batch takes beside the others' (any
    /// scale; 1 by default). The runner folds a batch's projections on every core and
    /// starts the longest first, so that no long fold is left to run alone at the end.
    /// The runner goes by it until every projection has folded a batch, then by the time
    /// each fold took.
    static var foldCost: Int { get }
    /// Whether it folds `EngagementRecorded` (`true` by default). Engagement is telemetry,
    /// most of a platform's log (80 % of the benchmark's); a projection that ignores it says
    /// `false` and is handed only the other events of each batch.
    static var foldsEngagement: Bool { get }
    /// The layout of its tables and rows (1 by default). Bump it with any change a store
    /// written before cannot be read by: the runner empties such a store and folds it
    /// again from the log when it opens it.
    static var formatVersion: UInt32 { get }

    init()

    func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws
}

extension Projection {
    public static var foldCost: Int { 1 }
    public static var foldsEngagement: Bool { true }
    public static var formatVersion: UInt32 { 1 }
}

/// The queries of a projection over one snapshot of its store.
public protocol ProjectionQueries {
    init(_ reader: ProjectionReader)
}
