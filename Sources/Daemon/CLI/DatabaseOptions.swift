import ArgumentParser
import Commands
import EventStore
import Foundation

/// Options every command that talks to the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: "libpq connection string or URI (default: LEDGER_DATABASE_URL, else the embedded server in ./.ledger/)")
    var databaseURL: String?

    var location: DatabaseLocation { DatabaseLocation.resolve(flag: databaseURL) }
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
        throw fail("cannot start the embedded database: \(error)")
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

/// Refuses to go on (exit 2) when the database has no ledger schema yet.
func requireSchema(_ open: OpenDatabase) async throws {
    let connection: PGConnection
    do {
        connection = try await PGConnection.connect(open.conninfo)
    } catch {
        throw fail("cannot connect to the database: \(error)")
    }
    let present = try await connection.query("SELECT to_regclass('ledger.events') IS NOT NULL").singleRow()
        .decode(Bool.self, 0)
    await connection.close()
    if !present { throw fail("the database has no ledger schema yet: run `ledger migrate` first") }
}
