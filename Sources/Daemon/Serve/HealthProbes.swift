import Commands
import EventStore
import Foundation
import Hummingbird
import Projections

/// The probes: `/health/live` (the process serves HTTP; no database) and `/health/ready` (the
/// database answers and is writable, its migrations are exactly this binary's, and no projection
/// is failing or lags more than the configured seconds). Both only read, so they answer on a
/// standby or a read-only database too, where ready says `readOnly` and 503 (commands would
/// fail). `/health` is the readiness probe under its old name.
extension LedgerAPI {
    func live() -> Response {
        json(#"{"status":"live"}"#, status: .ok)
    }

    func ready() async throws -> Response {
        do {
            let (statuses, readOnly, migrations) = try await store.pool.withConnection { connection in
                (
                    try await ProjectionStatus.all(connection, ensure: false),
                    try await connection.query("SELECT current_setting('transaction_read_only') = 'on'").singleRow()
                        .decode(Bool.self, 0),
                    try await Migrator.builtIn.status(connection)
                )
            }
            let readiness = Readiness(
                statuses: statuses, readOnly: readOnly, migrations: migrations,
                maximumLagSeconds: readyMaximumLagSeconds)
            return json(readiness.body.jsonText, status: readiness.isReady ? .ok : .serviceUnavailable)
        } catch {
            let readOnly = DatabaseError.isReadOnly(error)
            return json(
                JSONValue.object([
                    "status": "notReady", "database": .string(readOnly ? "readOnly" : "down"),
                    "error": .string("\(error)"),
                ]).jsonText, status: .serviceUnavailable)
        }
    }
}

/// What `/health/ready` decides from what it read (pure).
struct Readiness {
    var statuses: [ProjectionStatus]
    var readOnly: Bool
    var migrations: MigrationStatus
    var maximumLagSeconds: Int

    var failing: [ProjectionStatus] { statuses.filter(\.failing) }
    var lagging: [ProjectionStatus] { statuses.filter { !$0.failing && $0.lagSeconds > Double(maximumLagSeconds) } }
    var isReady: Bool { !readOnly && migrations.current && failing.isEmpty && lagging.isEmpty }

    var body: JSONValue {
        .object([
            "status": isReady ? "ready" : "notReady",
            "database": readOnly ? "readOnly" : "up",
            "migrations": .object([
                "current": .bool(migrations.current), "required": migrations.required.map(JSONValue.string) ?? .null,
                "pending": .array(migrations.pending.map(JSONValue.string)),
                "unknown": .array(migrations.unknown.map(JSONValue.string)),
                "changed": .array(migrations.changed.map(JSONValue.string)),
            ]),
            "failingProjections": .array(
                failing.map {
                    .object([
                        "projection": .string($0.projection),
                        "errorPosition": $0.errorPosition.map(JSONValue.int) ?? .null,
                        "error": $0.errorMessage.map(JSONValue.string) ?? .null,
                    ])
                }),
            "laggingProjections": .array(
                lagging.map {
                    .object([
                        "projection": .string($0.projection), "lagSeconds": .int(Int64($0.lagSeconds.rounded(.up))),
                        "lagEvents": .int($0.lagEvents),
                    ])
                }),
            "maximumLagSeconds": .int(Int64(maximumLagSeconds)),
        ])
    }
}
