import ArgumentParser
import Commands
import EventStore
import Foundation

/// Options every command that talks to the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help:
            "libpq connection string or URI (default: LEDGER_DATABASE_URL, else the embedded server in ./.ledger/; serve needs one or --embedded)"
    )
    var databaseURL: String?

    var location: DatabaseLocation { DatabaseLocation.resolve(flag: databaseURL) }

    /// True when a database is named by the flag or LEDGER_DATABASE_URL (not the embedded default).
    var isExplicit: Bool {
        if case .url = location { return true }
        return false
    }
}

/// Opens the configured database (starting the embedded server if needed), runs `body` with a
/// connection, and stops an embedded server started for this command.
func withDatabase<T: Sendable>(
    _ options: DatabaseOptions, _ body: (OpenDatabase) async throws -> T
) async throws -> T {
    let database: OpenDatabase
    do {
        database = try options.location.open()
    } catch {
        throw fail("cannot start the embedded database: \(error)", error: .databaseUnavailable)
    }
    do {
        let value = try await body(database)
        database.close()
        return value
    } catch {
        database.close()
        throw error
    }
}

/// Connects for a CLI command, reporting a failure as `databaseUnavailable` (exit 2).
func connectOrFail(_ conninfo: String, purpose: ConnectionPurpose = .cli) async throws -> PGConnection {
    do {
        return try await PGConnection.connect(conninfo, purpose: purpose)
    } catch {
        throw fail(
            "cannot connect to the database: \(error)", error: .databaseUnavailable,
            hint: "check --database-url or LEDGER_DATABASE_URL")
    }
}

/// Refuses to go on (exit 2) when the database has no ledger schema yet.
func requireSchema(_ open: OpenDatabase) async throws {
    let connection = try await connectOrFail(open.conninfo)
    let present = try await connection.query("SELECT to_regclass('ledger.events') IS NOT NULL").singleRow()
        .decode(Bool.self, 0)
    await connection.close()
    if !present {
        throw fail(
            "the database has no ledger schema yet", error: .schemaNotCurrent, hint: "run `ledger migrate` first")
    }
}

/// Refuses to go on (exit 2) unless every migration built into this binary is applied and the
/// database has none this binary does not know (or whose file changed), naming them.
func requireCurrentMigrations(_ open: OpenDatabase) async throws {
    try await requireSchema(open)
    let connection = try await connectOrFail(open.conninfo)
    let status: MigrationStatus
    do {
        status = try await Migrator.builtIn.status(connection)
    } catch {
        await connection.close()
        throw error
    }
    await connection.close()
    guard status.current else {
        let hint =
            status.unknown.isEmpty && status.changed.isEmpty
            ? "run `ledger migrate` with this binary first"
            : "the database was migrated by another ledger version: run the ledger that matches it, or upgrade"
        throw fail(
            "the database's migrations are not the ones this ledger needs (\(status.required ?? "none")): "
                + status.problems, error: .schemaNotCurrent, hint: hint)
    }
}
