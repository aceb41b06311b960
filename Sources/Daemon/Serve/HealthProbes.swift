import Commands
import EventStore
import Foundation
import Hummingbird
import Projections

/// The probes: `/health/live` (the process serves HTTP; no database) and `/health/ready` (the
/// database answers and is writable, its migrations are exactly this binary's, and no projection
/// is failing or lags more than the configured seconds). Both only read, so they answer on a
/// standby or a read-only database too, where ready says `readOnly` and 503 (commands would
/// fail). `/health` is the readiness probe under its old name. Settings that would store
/// incomplete facts (a registered company's chamber with no `--chamber-name`) are reported as
/// `warnings`; they do not make the daemon unready.
extension LedgerAPI {
    func live() -> Response {
        json(#"{"status":"live"}"#, status: .ok)
    }

    func ready() async throws -> Response {
        do {
            let (statuses, readOnly, migrations, chambers) = try await store.pool.withConnection { connection in
                (
                    try await ProjectionStatus.all(connection, ensure: false),
                    try await connection.query("SELECT current_setting('transaction_read_only') = 'on'").singleRow()
                        .decode(Bool.self, 0),
                    try await Migrator.builtIn.status(connection),
                    try await connection.query(
                        "SELECT DISTINCT chamber_id FROM projections.coupon_balance WHERE chamber_id IS NOT NULL"
                    ).rows.map { try $0.decode(String.self, 0) }
                )
            }
            let readiness = Readiness(
                statuses: statuses, readOnly: readOnly, migrations: migrations,
                maximumLagSeconds: readyMaximumLagSeconds,
                unnamedChambers: Set(chambers).subtracting(namedChambers).sorted())
            failures["readiness"].succeeded("readiness probe reads the database again")
            return json(readiness.body.jsonText, status: readiness.isReady ? .ok : .serviceUnavailable)
        } catch {
            failures["readiness"].failed("readiness probe cannot read the database", error: error)
            let readOnly = DatabaseError.isReadOnly(error)
            return json(
                JSONValue.object([
                    "status": "notReady", "database": .string(readOnly ? "readOnly" : "down"),
                    "error": .string("\(error)"),
                ]).jsonText, status: .serviceUnavailable)
        }
    }
}
