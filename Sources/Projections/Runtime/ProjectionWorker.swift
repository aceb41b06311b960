import EventStore
import Foundation
import Synchronization

/// Runs one projection: reads batches after its checkpoint (gap-free), applies each batch and
/// moves the checkpoint by compare-and-set in the same transaction, so every event takes effect
/// exactly once whatever crashes. Leadership is a session advisory lock on the worker's own
/// connection: any number of processes may run workers, each projection runs in one of them, and
/// when that process dies the lock is freed and another takes over.
///
/// A batch that fails is retried one event at a time to find the failing event; the events before
/// it are applied, the checkpoint stops before it, the error, position and time are recorded
/// (`failing`), and the worker retries with exponential backoff. Other projections are unaffected.
public struct ProjectionWorker: Sendable {
    /// Limits and intervals.
    public struct Configuration: Sendable {
        /// Most events applied in one transaction.
        public var batchSize: Int = 1_000
        /// Longest wait for new events when no notification comes.
        public var pollInterval: Duration = .milliseconds(500)
        /// First retry delay after a failure; doubles up to `maximumBackoff`.
        public var initialBackoff: Duration = .milliseconds(100)
        public var maximumBackoff: Duration = .seconds(30)
        /// Schema holding the tables (`projections`, or a replay schema).
        public var schema: String = "projections"
        /// Told about every committed batch (for readers waiting on their own writes).
        public var progress: ProjectionProgress?

        public init() {}
    }

    /// What one step did.
    public enum Step: Sendable, Equatable {
        case applied(Int)
        case idle
        case failed(position: Int64, message: String)
        case notLeader
    }

    public let projection: any Projection
    public let store: PostgresEventStore
    public let conninfo: String
    public let configuration: Configuration

    public init(
        projection: any Projection, store: PostgresEventStore, conninfo: String,
        configuration: Configuration = Configuration()
    ) {
        self.projection = projection
        self.store = store
        self.conninfo = conninfo
        self.configuration = configuration
    }

    /// Catches up with every event committed before the call and returns the number applied;
    /// throws when a failing event stops it, or when another process holds the projection.
    ///
    /// "Before the call" is exact: it waits until every transaction that had an id when it started
    /// has ended (the horizon passed the starting snapshot's xmax), because until then an earlier
    /// transaction may still commit events below the cursor's reach.
    public func catchUp() async throws -> Int {
        let session = try await ProjectionSession.open(self)
        defer { Task { await session.connection.close() } }
        guard try await session.lead() else { throw ProjectionError.heldElsewhere(projection.name) }
        let target = try await session.connection.query(CheckpointSQL.snapshotXmax).singleRow().decode(UInt64.self, 0)
        var total = 0
        var horizonPassed = false
        while true {
            switch try await session.step() {
            case .applied(let count): total += count
            case .idle:
                // Idle after the horizon had passed the target: nothing before the call is left.
                if horizonPassed { return total }
                let horizon = try await session.connection.query(CheckpointSQL.horizon).singleRow().decode(
                    UInt64.self, 0)
                horizonPassed = horizon >= target
                if !horizonPassed { try await Task.sleep(for: .milliseconds(5)) }
            case .failed(let position, let message):
                throw ProjectionError.failing(projection.name, position: position, message: message)
            case .notLeader: throw ProjectionError.heldElsewhere(projection.name)
            }
        }
    }

    static let firstRecheck = Duration.milliseconds(1)

    /// Runs until the task is cancelled: leads when it can, applies batches as they come, waits on
    /// NOTIFY or the poll interval, backs off after failures. Finishes the batch in flight.
    public func run() async {
        var backoff = configuration.initialBackoff
        while !Task.isCancelled {
            do {
                let session = try await ProjectionSession.open(self)
                let listener = try await PGConnection.connect(conninfo)
                try await listener.listen("ledger_events")
                // Events may be committed but not yet below the horizon (another transaction was
                // still open): then re-check soon, and less and less often; otherwise wait for the
                // next wake-up. (Re-checking on every wake-up made the idle projections of a busy
                // daemon poll several times per append.)
                var recheck = Self.firstRecheck
                while !Task.isCancelled {
                    guard try await session.lead() else {
                        try? await Task.sleep(for: configuration.pollInterval)
                        continue
                    }
                    switch try await session.step() {
                    case .applied:
                        backoff = configuration.initialBackoff
                        recheck = Self.firstRecheck
                        await configuration.progress?.advanced(projection.name)
                    case .idle:
                        let soon = try await session.hasUnsettledEvents()
                        let woken = try await listener.waitForNotifications(
                            timeout: soon ? min(recheck, configuration.pollInterval) : configuration.pollInterval)
                        recheck = woken.isEmpty ? min(recheck * 2, configuration.pollInterval) : Self.firstRecheck
                    case .failed, .notLeader:
                        try? await Task.sleep(for: backoff)
                        backoff = min(backoff * 2, configuration.maximumBackoff)
                    }
                }
                await listener.close()
                await session.connection.close()
            } catch {
                // The database went away or refused: wait and reconnect.
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, configuration.maximumBackoff)
            }
        }
    }
}

/// Why a projection could not run.
public enum ProjectionError: Error, Sendable, CustomStringConvertible {
    case heldElsewhere(String)
    case failing(String, position: Int64, message: String)
    case lostCursor(String)

    public var description: String {
        switch self {
        case .heldElsewhere(let name): "projection \(name) is being run by another process"
        case .failing(let name, let position, let message):
            "projection \(name) fails at event \(position): \(message)"
        case .lostCursor(let name): "the checkpoint of \(name) moved under this worker; another worker ran it"
        }
    }
}

/// One worker's connection (holding the leadership lock) and its cursor.
final class ProjectionSession: Sendable {
    let worker: ProjectionWorker
    let connection: PGConnection
    /// Whether this session holds the leadership lock (taken once, held until the connection closes).
    private let leading = Mutex(false)
    /// The next batch, being read (on a pool connection) while this one is applied, and the cursor
    /// it was read after. Used only if the checkpoint is still at that cursor when the next step
    /// starts; a gap-free read is valid whenever it is made, so an early one just may be shorter.
    private let readAhead = Mutex<(after: SubscriptionCursor, batch: Task<[RecordedEvent], any Error>)?>(nil)

    private init(worker: ProjectionWorker, connection: PGConnection) {
        self.worker = worker
        self.connection = connection
    }

    static func open(_ worker: ProjectionWorker) async throws -> ProjectionSession {
        let connection = try await PGConnection.connect(worker.conninfo)
        try await connection.query(CheckpointSQL.ensure, [worker.projection.name])
        return ProjectionSession(worker: worker, connection: connection)
    }

    /// Takes the projection's leadership lock on this session if it does not hold it yet.
    func lead() async throws -> Bool {
        if leading.withLock({ $0 }) { return true }
        let acquired = try await connection.query(CheckpointSQL.tryLead, [worker.projection.name]).singleRow()
            .decode(Bool.self, 0)
        leading.withLock { $0 = acquired }
        return acquired
    }

    func cursor() async throws -> SubscriptionCursor {
        let row = try await connection.query(CheckpointSQL.load, [worker.projection.name]).singleRow()
        return SubscriptionCursor(
            transactionId: try row.decode(UInt64.self, 0), globalPosition: try row.decode(Int64.self, 1))
    }

    /// Whether a step found nothing only because the events after the checkpoint are not yet below
    /// the horizon.
    func hasUnsettledEvents() async throws -> Bool {
        try await connection.query(
            CheckpointSQL.unsettled, [worker.projection.name, PGTextArray(worker.projection.eventTypes)]
        )
        .singleRow().decode(Bool.self, 0)
    }

    /// Reads one batch after the checkpoint and applies it.
    ///
    /// After a full batch (more are likely waiting, as in a catch-up or rebuild) it starts reading
    /// the next batch before applying this one, so reading and decoding overlap the apply
    /// transaction. A live worker's small batches read nothing ahead.
    func step() async throws -> ProjectionWorker.Step {
        let cursor = try await cursor()
        let batch: [RecordedEvent]
        let ahead = readAhead.withLock { value in
            defer { value = nil }
            return value
        }
        if let ahead, ahead.after == cursor {
            batch = try await ahead.batch.value
        } else {
            ahead?.batch.cancel()
            batch = try await read(after: cursor)
        }
        guard let last = batch.last else { return .idle }
        if batch.count >= worker.configuration.batchSize {
            let next = Task { try await self.read(after: last.cursor) }
            readAhead.withLock { $0 = (last.cursor, next) }
        }
        do {
            try await apply(batch, from: cursor)
            return .applied(batch.count)
        } catch let error as ProjectionError {
            throw error
        } catch {
            // Find the failing event: apply one at a time; the good ones before it stay applied.
            var from = cursor
            for event in batch {
                do {
                    try await apply([event], from: from)
                    from = event.cursor
                } catch {
                    let message = String(describing: error).prefix(2000)
                    try await connection.query(
                        CheckpointSQL.recordFailure,
                        [worker.projection.name, String(message), event.globalPosition])
                    return .failed(position: event.globalPosition, message: String(message))
                }
            }
            return .applied(batch.count)
        }
    }

    private func read(after cursor: SubscriptionCursor) async throws -> [RecordedEvent] {
        try await worker.store.read(
            after: cursor, filter: .eventTypes(worker.projection.eventTypes), limit: worker.configuration.batchSize)
    }

    private func apply(_ batch: [RecordedEvent], from old: SubscriptionCursor) async throws {
        let projection = worker.projection
        let schema = worker.configuration.schema
        guard let last = batch.last else { return }
        try await connection.transaction { connection in
            // Shared with other batches, exclusive for a rebuild's switch (ProjectionRebuild).
            try connection.query(CheckpointSQL.batchLock, [projection.name])
            try projection.apply(batch, schema: schema, on: connection)
            let moved = try connection.query(
                CheckpointSQL.advance,
                [
                    projection.name, old.transactionId, old.globalPosition, last.transactionId, last.globalPosition,
                    batch.count, last.recordedAt,
                ])
            guard moved.affectedRows == 1 else { throw ProjectionError.lostCursor(projection.name) }
        }
    }
}

/// The checkpoint statements.
enum CheckpointSQL {
    static let ensure = """
        INSERT INTO ledger.projection_checkpoints (projection) VALUES ($1) ON CONFLICT (projection) DO NOTHING
        """
    static let snapshotXmax = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text"
    static let horizon = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text"
    /// Namespace 6: held shared by every batch transaction, exclusively by a rebuild's switch.
    static let batchLock = "SELECT pg_advisory_xact_lock_shared(6, hashtext($1))"
    static let switchLock = "SELECT pg_advisory_lock(6, hashtext($1))"
    static let switchUnlock = "SELECT pg_advisory_unlock(6, hashtext($1))"
    /// Namespace 4 of the advisory locks: projection leadership.
    static let tryLead = "SELECT pg_try_advisory_lock(4, hashtext($1))"
    static let load = """
        SELECT transaction_id::text, global_position FROM ledger.projection_checkpoints WHERE projection = $1
        """
    /// Whether events of the projection's types are committed or in flight past its checkpoint but
    /// not yet below the horizon (so a re-check soon will find them).
    static let unsettled = """
        SELECT EXISTS (SELECT FROM ledger.events e, ledger.projection_checkpoints c
                        WHERE c.projection = $1 AND e.event_type = ANY ($2::text[])
                          AND (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position))
        """
    static let advance = """
        UPDATE ledger.projection_checkpoints
           SET transaction_id = $4::xid8, global_position = $5, events_applied = events_applied + $6,
               last_recorded_at = $7, updated_at = clock_timestamp(),
               failing = false, error_message = NULL, error_position = NULL, error_at = NULL, attempts = 0
         WHERE projection = $1 AND transaction_id = $2::xid8 AND global_position = $3
        """
    static let recordFailure = """
        UPDATE ledger.projection_checkpoints
           SET failing = true, error_message = $2, error_position = $3, error_at = clock_timestamp(),
               attempts = attempts + 1
         WHERE projection = $1
        """
}
