import EventStore
import Foundation

/// Builds read models from position zero into a schema of their own, beside the live ones, and
/// compares the two: for checking the live models (crash tests, audits).
public struct ProjectionReplay: Sendable {
    /// The comment that marks a schema as made by a replay (and so replaceable by one).
    static let marker = "ledger replay"

    /// Why a replay would not run.
    public enum ReplayError: Error, Sendable, CustomStringConvertible {
        case schemaInUse(String)
        public var description: String {
            switch self {
            case .schemaInUse(let name):
                "schema \(name) exists and was not made by ledger replay; choose another name"
            }
        }
    }

    public let store: PostgresEventStore
    public let conninfo: String
    public let projections: [any Projection]

    public init(store: PostgresEventStore, conninfo: String, projections: [any Projection] = ProjectionCatalog.all) {
        self.store = store
        self.conninfo = conninfo
        self.projections = projections
    }

    /// Which events a replay folds: all, or those up to a position or a business time.
    public enum Bound: Sendable {
        case all
        case toPosition(Int64)
        /// Events whose business time (`occurred_at`) is at or before this instant.
        case asOf(Date)

        func includes(_ event: RecordedEvent) -> Bool {
            switch self {
            case .all: true
            case .toPosition(let position): event.globalPosition <= position
            case .asOf(let instant): event.occurredAt <= instant
            }
        }
    }

    /// Creates `schema` with empty copies of the live tables and folds every event (within
    /// `bound`) into them. Returns the number of events applied. `progress(done, total)` is called
    /// after each projection is built (for a progress display).
    @discardableResult
    public func build(
        into schema: String, bound: Bound = .all, progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> Int {
        try await PGConnection.withConnection(conninfo, purpose: .rebuild) { connection in
            try await build(into: schema, bound: bound, on: connection, progress: progress)
        }
    }

    private func build(
        into schema: String, bound: Bound, on connection: PGConnection, progress: (Int, Int) -> Void
    ) async throws -> Int {
        let target = quoteIdentifier(schema)
        // Only a schema a replay made may be replaced: never public, ledger, projections or another.
        let existing = try await connection.query(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = $1", [schema])
        if let row = existing.rows.first, try row.decodeIfPresent(String.self, 0) != Self.marker {
            throw ReplayError.schemaInUse(schema)
        }
        try await connection.execute(
            """
            DROP SCHEMA IF EXISTS \(target) CASCADE; CREATE SCHEMA \(target);
            COMMENT ON SCHEMA \(target) IS '\(Self.marker)'
            """)
        for projection in projections {
            for table in projection.tables {
                let name = quoteIdentifier(table)
                try await connection.execute("CREATE TABLE \(target).\(name) (LIKE projections.\(name) INCLUDING ALL)")
            }
        }
        var configuration = ProjectionWorker.Configuration()
        configuration.schema = schema
        configuration.batchSize = 5_000
        var total = 0
        var built = 0
        for projection in projections {
            let renamed = RenamedProjection(base: projection, name: "\(projection.name)@\(schema)", bound: bound)
            try await connection.query(
                "DELETE FROM ledger.projection_checkpoints WHERE projection = $1", [renamed.name])
            total += try await ProjectionWorker(
                projection: renamed, store: store, conninfo: conninfo,
                configuration: configuration
            ).catchUp()
            try await connection.query(
                "DELETE FROM ledger.projection_checkpoints WHERE projection = $1", [renamed.name])
            built += 1
            progress(built, projections.count)
        }
        return total
    }

    /// Rows that differ between the live tables and `schema`'s, per table (0 everywhere when equal).
    public func differences(from schema: String) async throws -> [String: Int] {
        try await PGConnection.withConnection(conninfo, purpose: .rebuild) { connection in
            try await differences(from: schema, on: connection)
        }
    }

    private func differences(from schema: String, on connection: PGConnection) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for projection in projections {
            for table in projection.tables {
                let live = "projections.\(quoteIdentifier(table))"
                let other = "\(quoteIdentifier(schema)).\(quoteIdentifier(table))"
                counts[table] = try await connection.query(
                    """
                    SELECT (SELECT count(*) FROM (SELECT * FROM \(live) EXCEPT ALL SELECT * FROM \(other)) a)
                         + (SELECT count(*) FROM (SELECT * FROM \(other) EXCEPT ALL SELECT * FROM \(live)) b)
                    """
                ).singleRow().decode(Int.self, 0)
            }
        }
        return counts
    }
}
