import Foundation

/// Writes `ledger.journal`: walks the events in subscription order (gap-free, below the horizon)
/// and gives each the next `ledger_seq`, its `event_hash` and the running `chain_hash`. One
/// sequencer runs at a time (session advisory lock 5/1 on its connection); a batch and its rows
/// commit together, and the sequence is the primary key, so no number is used twice or skipped.
/// Every `checkpointInterval` entries it records a checkpoint.
public struct JournalSequencer: Sendable {
    public let store: PostgresEventStore
    public let conninfo: String
    public var batchSize = 5_000
    public var checkpointInterval: Int64 = 1_000
    public var pollInterval: Duration = .milliseconds(500)

    public init(store: PostgresEventStore, conninfo: String) {
        self.store = store
        self.conninfo = conninfo
    }

    /// Journals every event committed before the call; returns how many entries were added.
    public func catchUp() async throws -> Int {
        let connection = try await PGConnection.connect(conninfo)
        defer { Task { await connection.close() } }
        guard try await lead(connection) else { throw JournalError.heldElsewhere }
        let target = try await connection.query(JournalSQL.snapshotXmax).singleRow().decode(UInt64.self, 0)
        var total = 0
        var horizonPassed = false
        while true {
            let added = try await step(connection)
            total += added
            if added > 0 { continue }
            if horizonPassed { return total }
            horizonPassed = try await connection.query(JournalSQL.horizon).singleRow().decode(UInt64.self, 0) >= target
            if !horizonPassed { try await Task.sleep(for: .milliseconds(5)) }
        }
    }

    /// Runs until the task is cancelled (as part of `ledger project` or `ledger serve`).
    public func run() async {
        while !Task.isCancelled {
            do {
                let connection = try await PGConnection.connect(conninfo)
                let listener = try await PGConnection.connect(conninfo)
                try await listener.listen("ledger_events")
                var leading = false
                while !Task.isCancelled {
                    // The session lock is taken once and held until the connection closes.
                    if !leading { leading = try await lead(connection) }
                    guard leading else {
                        try? await Task.sleep(for: pollInterval)
                        continue
                    }
                    if try await step(connection) == 0 {
                        _ = try await listener.waitForNotifications(timeout: pollInterval)
                    }
                }
                await listener.close()
                await connection.close()
            } catch {
                try? await Task.sleep(for: pollInterval)
            }
        }
    }

    func lead(_ connection: PGConnection) async throws -> Bool {
        try await connection.query(JournalSQL.tryLead).singleRow().decode(Bool.self, 0)
    }

    /// Journals one batch; returns the number of entries added.
    func step(_ connection: PGConnection) async throws -> Int {
        let head = try await connection.query(JournalSQL.head)
        var seq: Int64 = 0
        var chain = EventHash.genesis
        var cursor = SubscriptionCursor.start
        if let row = head.rows.first {
            seq = try row.decode(Int64.self, 0)
            chain = try row.decode(String.self, 1)
            cursor = SubscriptionCursor(
                transactionId: try row.decode(UInt64.self, 2), globalPosition: try row.decode(Int64.self, 3))
        }
        let events = try await store.read(after: cursor, filter: .all, limit: batchSize)
        guard !events.isEmpty else { return 0 }
        var entries: [String] = []
        var checkpoints: [String] = []
        for event in events {
            seq += 1
            let hash = EventHash.hash(event)
            chain = EventHash.chain(chain, hash)
            entries.append(
                "{\"ledger_seq\":\(seq),\"global_position\":\(event.globalPosition),"
                    + "\"transaction_id\":\"\(event.transactionId)\",\"event_hash\":\"\(hash)\",\"chain_hash\":\"\(chain)\"}"
            )
            if seq % checkpointInterval == 0 {
                checkpoints.append("{\"ledger_seq\":\(seq),\"chain_hash\":\"\(chain)\"}")
            }
        }
        let rows = PGJSON("[" + entries.joined(separator: ",") + "]")
        let marks = PGJSON("[" + checkpoints.joined(separator: ",") + "]")
        try await connection.transaction { connection in
            try connection.query(JournalSQL.insert, [rows])
            try connection.query(JournalSQL.insertCheckpoints, [marks])
        }
        return events.count
    }
}

/// Why journaling could not run.
public enum JournalError: Error, Sendable, CustomStringConvertible {
    case heldElsewhere
    public var description: String { "the journal sequencer is running in another process" }
}

enum JournalSQL {
    /// Namespace 5 of the advisory locks: the journal sequencer.
    static let tryLead = "SELECT pg_try_advisory_lock(5, 1)"
    static let snapshotXmax = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text"
    static let horizon = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text"
    static let head = """
        SELECT ledger_seq, chain_hash, transaction_id::text, global_position FROM ledger.journal
         ORDER BY ledger_seq DESC LIMIT 1
        """
    static let insert = """
        INSERT INTO ledger.journal (ledger_seq, global_position, transaction_id, event_hash, chain_hash)
        SELECT ledger_seq, global_position, transaction_id::xid8, event_hash, chain_hash
          FROM jsonb_to_recordset($1::jsonb)
            AS r(ledger_seq bigint, global_position bigint, transaction_id text, event_hash text, chain_hash text)
        """
    static let insertCheckpoints = """
        INSERT INTO ledger.journal_checkpoints (ledger_seq, chain_hash)
        SELECT ledger_seq, chain_hash FROM jsonb_to_recordset($1::jsonb) AS r(ledger_seq bigint, chain_hash text)
        """
}
