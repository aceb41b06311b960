/// What a database connection is for: every connection the process opens names one, so
/// `ConnectionRegistry` can count them (and `ledger serve` export the counts).
public enum ConnectionPurpose: String, Sendable, CaseIterable, Hashable {
    /// A pooled connection (`ConnectionPool`).
    case pool
    /// A LISTEN connection waking a subscriber.
    case listener
    /// A connection holding a session advisory lock for leadership (projection worker, journal sequencer).
    case leadership
    /// A projection rebuild or replay.
    case rebuild
    /// The journal verifier.
    case verify
    /// Schema migrations.
    case migrate
    /// A command-line tool's own connection.
    case cli
    /// Anything else (tests, benchmarks, setup).
    case other
}
