/// The horizon statements every subscriber uses (the event reads are `Statements.read*After`).
enum SubscriptionSQL {
    /// The first transaction id not yet assigned when the snapshot was taken: every transaction
    /// that could commit events "before now" has an id below it.
    static let snapshotXmax = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text"
    /// The horizon: the oldest transaction still running; every event below it is settled.
    static let horizon = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text"
    /// The channel appends notify (`Statements.notify`).
    static let channel = "ledger_events"
}
