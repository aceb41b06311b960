/// The gap-free subscription every subscriber uses (projection workers, the journal sequencer,
/// `EventSubscription`): batches of events after a cursor in `(transaction_id, global_position)`
/// order, stopping at the xid8 horizon, so no event can later commit behind what was delivered,
/// whatever the commit order or rollbacks. Where the cursor lives (a checkpoint row, the journal's
/// head, memory) is the subscriber's business; the reads, the horizon and the wake-ups are here.
public struct Subscription: Sendable {
    public let store: PostgresEventStore
    public var filter: EventFilter
    /// Most events per batch.
    public var batchSize: Int
    /// Longest wait for new events when no notification comes (also the bound on how long a
    /// rolled-back or long-running transaction, which sends none, delays delivery).
    public var pollInterval: Duration

    public init(
        store: PostgresEventStore, filter: EventFilter = .all, batchSize: Int = 1_000,
        pollInterval: Duration = .milliseconds(500)
    ) {
        self.store = store
        self.filter = filter
        self.batchSize = batchSize
        self.pollInterval = pollInterval
    }

    /// The next batch after `cursor` (empty when nothing after it is below the horizon yet).
    public func read(after cursor: SubscriptionCursor) async throws -> [RecordedEvent] {
        try await store.read(after: cursor, filter: filter, limit: batchSize)
    }

    /// The connection string of the store's database (for a subscriber's own connections).
    public var conninfo: String { store.pool.configuration.conninfo }

    /// Runs `step` (which returns how many events it handled, 0 when it found none) until every
    /// event committed before the call has been handled; returns the total.
    ///
    /// "Before the call" is exact: it waits until every transaction that had an id when it started
    /// has ended (the horizon passed the starting snapshot's xmax), because until then an earlier
    /// transaction may still commit events below the cursor's reach.
    public static func catchUp(on connection: PGConnection, _ step: () async throws -> Int) async throws -> Int {
        let target = try await connection.query(SubscriptionSQL.snapshotXmax).singleRow().decode(UInt64.self, 0)
        var total = 0
        var horizonPassed = false
        while true {
            let handled = try await step()
            total += handled
            if handled > 0 { continue }
            // Idle after the horizon had passed the target: nothing before the call is left.
            if horizonPassed { return total }
            horizonPassed =
                try await connection.query(SubscriptionSQL.horizon).singleRow().decode(UInt64.self, 0) >= target
            if !horizonPassed { try await Task.sleep(for: .milliseconds(5)) }
        }
    }
}
