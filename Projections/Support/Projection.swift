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

    init()

    func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws
}

/// The queries of a projection over one snapshot of its store.
public protocol ProjectionQueries {
    init(_ reader: ProjectionReader)
}
