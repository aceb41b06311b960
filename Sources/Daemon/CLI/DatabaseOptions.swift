import ArgumentParser
import Commands
import EventStore
import Foundation

/// Options every command that talks to the database shares: the database, and the configuration
/// file every setting can also come from (docs/cli.md, Configuration).
struct DatabaseOptions: ParsableArguments, SettingFlags {
    @Option(name: .customLong(Setting.databaseURL.flag!), help: ArgumentHelp(Setting.databaseURL.help))
    var databaseURL: String?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "JSON configuration file (else \(Settings.fileVariable)); flags and LEDGER_* variables win over it",
            valueName: "file"))
    var configFile: String?

    var flagValues: [Setting: [String]] { [.databaseURL: databaseURL.map { [$0] } ?? []] }

    /// The configuration of this run: these flags and those of `groups`, the LEDGER_* variables
    /// and the configuration file (`Settings.load`).
    func settings(_ groups: any SettingFlags...) throws -> Settings {
        var flags = flagValues
        for group in groups { flags.merge(group.flagValues) { _, new in new } }
        return try Settings.load(flags: flags, configFile: configFile)
    }
}

extension Settings {
    /// The configured database, else the embedded cluster under ./.ledger/.
    var databaseLocation: DatabaseLocation { DatabaseLocation.resolve(flag: text(.databaseURL), environment: [:]) }

    /// True when a database is configured (by any source), not the embedded default.
    var hasExplicitDatabase: Bool { text(.databaseURL) != nil }
}

/// Opens the configured database (starting the embedded server if needed), runs `body` with a
/// connection, and stops an embedded server started for this command.
func withDatabase<T: Sendable>(
    _ options: DatabaseOptions, _ body: (OpenDatabase) async throws -> T
) async throws -> T {
    try await withDatabase(try options.settings(), body)
}

/// `withDatabase` for settings resolved already (commands that read more than the database).
func withDatabase<T: Sendable>(
    _ settings: Settings, _ body: (OpenDatabase) async throws -> T
) async throws -> T {
    let database: OpenDatabase
    do {
        database = try settings.databaseLocation.open()
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
            hint: "check --database-url, LEDGER_DATABASE_URL or database.url in the --config file")
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
