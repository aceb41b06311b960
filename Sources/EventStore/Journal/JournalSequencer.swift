import Foundation
import Logging
import ServiceLifecycle

/// Writes `ledger.journal`: walks the events in subscription order (gap-free, below the horizon)
/// and gives each the next `ledger_seq`, its `event_hash` and the running `chain_hash`. One
/// sequencer runs at a time (`AdvisoryLock.journalSequencer`, held on its `Leadership`
/// connection); a batch and its rows commit together, and the sequence is the primary key, so no
/// number is used twice or skipped. Every `checkpointInterval` entries it records a checkpoint.
/// As a `Service` it runs until graceful shutdown, finishing the batch in flight.
public struct JournalSequencer: Service, Sendable {
    public let store: PostgresEventStore
    public let conninfo: String
    public var batchSize = 5_000
    public var checkpointInterval: Int64 = 1_000
    public var pollInterval: Duration = .milliseconds(500)
    public var logger: Logger

    public init(store: PostgresEventStore, conninfo: String, logger: Logger = Logger(label: "ledger.journal")) {
        self.store = store
        self.conninfo = conninfo
        var logger = logger
        logger[metadataKey: "subscriber"] = "journal"
        self.logger = logger
    }

    private var subscription: Subscription {
        Subscription(store: store, filter: .all, batchSize: batchSize, pollInterval: pollInterval)
    }

    /// Journals every event committed before the call; returns how many entries were added.
    public func catchUp() async throws -> Int {
        try await Leadership.with(conninfo, lock: .journalSequencer) { leadership in
            guard try await leadership.acquire() else { throw JournalError.heldElsewhere }
            return try await Subscription.catchUp(on: leadership.connection) {
                try await step(leadership.connection)
            }
        }
    }

    /// Runs until the task is cancelled or graceful shutdown (as part of `ledger project` or
    /// `ledger serve`).
    public func run() async {
        let logger = self.logger
        let loop = SubscriberLoop(pollInterval: pollInterval, logger: logger)
        await cancelWhenGracefulShutdown {
            await loop.run(
                listener: NotificationListener(conninfo: conninfo, logger: logger),
                open: { try await Leadership.open(conninfo, lock: .journalSequencer) },
                close: { await $0.close() },
                step: { leadership in
                    guard try await leadership.acquire() else { return .notLeader }
                    return try await step(leadership.connection) > 0 ? .progressed : .idle(unsettled: false)
                })
        }
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
        let events = try await subscription.read(after: cursor)
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
