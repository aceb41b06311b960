import ArgumentParser
import Commands
import EventStore
import Foundation

/// The `ledger` executable: one subcommand per job (ARCHITECTURE.md, "The ledger executable").
@main
struct Ledger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "An event-sourced ledger for certificate fees, card carts and prepaid coupons, on PostgreSQL.",
        subcommands: [
            Migrate.self, Exec.self, Project.self, Status.self, Demo.self, Verify.self, Journal.self, Events.self,
            Replay.self, Compare.self, Audit.self, Serve.self, Deposits.self, Accounts.self, Notify.self, Bench.self,
        ]
    )
}

/// Options every command that talks to the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"),
            help: "libpq connection string or URI (default: LEDGER_DATABASE_URL, else the embedded server in ./.ledger/)")
    var databaseURL: String?

    var location: DatabaseLocation { DatabaseLocation.resolve(flag: databaseURL) }
}

/// Exit codes of ARCHITECTURE.md: 0 success, 1 a rejected command or failed check, 2 bad usage or
/// configuration.
enum ExitStatus {
    static let rejected = ExitCode(1)
    static let usage = ExitCode(2)
}

/// Prints `message` to stderr and exits with `code`.
func fail(_ message: String, code: ExitCode = ExitStatus.usage) -> ExitCode {
    FileHandle.standardError.write(Data(("ledger: " + message + "\n").utf8))
    return code
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
