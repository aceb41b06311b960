import EventStore

/// A read model: a name, the event types it consumes, and code that applies a batch of events to
/// its tables inside the worker's transaction (the cursor moves in the same transaction).
public protocol Projection: Sendable {
    /// Unique name, also the checkpoint key (`ledger.projection_checkpoints.projection`).
    var name: String { get }
    /// The event types it reads; the worker reads only these.
    var eventTypes: [String] { get }
    /// The tables it owns, unqualified (they live in `projections` or a replay schema).
    var tables: [String] { get }
    /// Applies `events` (in subscription order) to the tables in `schema`. Implementations fold the
    /// batch in memory and write once per touched row or set-based, not once per event.
    func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws
}
