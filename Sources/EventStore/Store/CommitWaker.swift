/// Wakes subscribers after appends commit, with at most one NOTIFY in flight per store.
///
/// A NOTIFY is only a hint (subscribers poll), but it costs: PostgreSQL gives a notifying
/// transaction a transaction id, so its commit is flushed to disk, and it serializes every
/// notifying commit on one global lock. Sending one per append would add a round trip to each
/// append and cap concurrent appends at the rate of those serialized flushes. So appends only
/// `signal()`; the waker sends one NOTIFY on a pooled connection, and however many appends commit
/// while it is in flight, exactly one more after it. Subscribers therefore see a wake-up after every
/// commit, no later than one NOTIFY round trip behind it.
actor CommitWaker {
    private let pool: ConnectionPool
    private let statement: String
    private var pending = false
    private var sending = false

    init(pool: ConnectionPool, statement: String) {
        self.pool = pool
        self.statement = statement
    }

    /// Records that an append committed; starts a NOTIFY unless one is already in flight.
    func signal() {
        pending = true
        guard !sending else { return }
        sending = true
        Task { await self.drain() }
    }

    private func drain() async {
        while pending {
            pending = false
            // A failed wake-up is harmless: subscribers poll, and the next append signals again.
            await Self.send(statement, on: pool)
        }
        sending = false
    }

    private nonisolated static func send(_ statement: String, on pool: ConnectionPool) async {
        _ = try? await pool.withConnection { connection in
            try await connection.query(statement)
        }
    }
}
