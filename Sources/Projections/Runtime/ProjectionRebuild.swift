import EventStore
import Foundation

/// Rebuilds a projection from position zero into shadow tables (schema `projections_rebuild`),
/// then switches: under the projection's leadership lock it catches the shadow up to the head,
/// replaces the live rows and moves the live checkpoint, all in one transaction. Readers see the
/// old rows until that commit and the new ones after; never a half-built model. (The notifier's
/// outbox is rebuilt with every mail unsent: do not rebuild it while mails are due.)
public struct ProjectionRebuild: Sendable {
    public static let shadowSchema = "projections_rebuild"

    public let projection: any Projection
    public let store: PostgresEventStore
    public let conninfo: String
    /// Called after each batch with events done and the total to do (for progress display).
    public let progress: @Sendable (_ done: Int, _ total: Int) -> Void

    public init(
        projection: any Projection, store: PostgresEventStore, conninfo: String,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) {
        self.projection = projection
        self.store = store
        self.conninfo = conninfo
        self.progress = progress
    }

    /// Runs the rebuild; returns the number of events applied.
    public func run() async throws -> Int {
        try await PGConnection.withConnection(conninfo, purpose: .rebuild) { connection in
            try await run(on: connection)
        }
    }

    private func run(on connection: PGConnection) async throws -> Int {
        let shadow = quoteIdentifier(Self.shadowSchema)
        let shadowName = projection.name + "#rebuild"
        let total = try await connection.query(
            "SELECT count(*) FROM ledger.events WHERE event_type = ANY ($1::text[])",
            [PGTextArray(projection.eventTypes)]
        ).singleRow().decode(Int.self, 0)
        try await connection.execute("CREATE SCHEMA IF NOT EXISTS \(shadow)")
        for table in projection.tables {
            let name = quoteIdentifier(table)
            try await connection.execute(
                """
                DROP TABLE IF EXISTS \(shadow).\(name);
                CREATE TABLE \(shadow).\(name) (LIKE projections.\(name) INCLUDING ALL)
                """)
        }
        try await connection.query("DELETE FROM ledger.projection_checkpoints WHERE projection = $1", [shadowName])
        var configuration = ProjectionWorker.Configuration()
        configuration.schema = Self.shadowSchema
        configuration.batchSize = 5_000
        let shadowProjection = RenamedProjection(base: projection, name: shadowName)
        let worker = ProjectionWorker(
            projection: shadowProjection, store: store, conninfo: conninfo,
            configuration: configuration)
        return try await ProjectionSession.with(worker) { session in
            try await rebuild(on: connection, session: session, total: total, shadowName: shadowName)
        }
    }

    /// Fills the shadow through `session`, then switches the live tables under the batch lock.
    private func rebuild(on connection: PGConnection, session: ProjectionSession, total: Int, shadowName: String)
        async throws -> Int
    {
        let shadow = quoteIdentifier(Self.shadowSchema)
        guard try await session.lead() else { throw ProjectionError.heldElsewhere(shadowName) }
        var done = 0
        func drain() async throws {
            while true {
                switch try await session.step() {
                case .applied(let count):
                    done += count
                    progress(done, max(total, done))
                case .idle: return
                case .failed(let failure):
                    throw ProjectionError.failing(shadowName, position: failure.position, message: failure.message)
                case .notLeader: throw ProjectionError.heldElsewhere(shadowName)
                }
            }
        }
        try await drain()
        // Switch: hold the projection's batch lock exclusively, so no live batch commits meanwhile
        // (a live worker's batch read before the switch then fails its compare-and-set and re-reads).
        try await connection.advisoryLock(.projectionBatch(projection.name), .lock)
        try await drain()
        let tables = projection.tables
        let liveName = projection.name
        try await connection.transaction { connection in
            for table in tables {
                let name = quoteIdentifier(table)
                // DELETE, not TRUNCATE: readers with an older snapshot keep seeing the old rows (MVCC).
                try connection.execute("DELETE FROM projections.\(name)")
                try connection.execute("INSERT INTO projections.\(name) SELECT * FROM \(shadow).\(name)")
            }
            try connection.query(CheckpointSQL.ensure, [liveName])
            try connection.query(
                """
                UPDATE ledger.projection_checkpoints AS live
                   SET transaction_id = shadow.transaction_id, global_position = shadow.global_position,
                       events_applied = shadow.events_applied, last_recorded_at = shadow.last_recorded_at,
                       updated_at = clock_timestamp(), failing = false, error_message = NULL,
                       error_position = NULL, error_at = NULL, attempts = 0
                  FROM ledger.projection_checkpoints AS shadow
                 WHERE live.projection = $1 AND shadow.projection = $2
                """, [liveName, shadowName])
            try connection.query("DELETE FROM ledger.projection_checkpoints WHERE projection = $1", [shadowName])
            for table in tables { try connection.execute("DROP TABLE \(shadow).\(quoteIdentifier(table))") }
        }
        try await connection.advisoryLock(.projectionBatch(projection.name), .unlock)
        return done
    }
}

/// A projection under another checkpoint name (the shadow of a rebuild).
struct RenamedProjection: Projection {
    let base: any Projection
    let name: String
    var bound: ProjectionReplay.Bound = .all
    var eventTypes: [String] { base.eventTypes }
    var tables: [String] { base.tables }
    func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        let included = events.filter(bound.includes)
        guard !included.isEmpty else { return }
        try base.apply(included, schema: schema, on: connection)
    }
}
