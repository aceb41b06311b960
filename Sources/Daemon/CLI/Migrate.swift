import ArgumentParser
import EventStore
import Foundation

/// `ledger migrate [--status]`: apply the numbered SQL migrations built into the binary, each once.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the schema/ migrations built into ledger in order, once each, under an advisory lock.",
        discussion: """
            The migrations are compiled into the binary, so this works from any folder; --schema-dir reads a folder \
            instead (development). Refuses (exit 2) when an applied migration's file changed or is unknown to this \
            binary. --status changes nothing: it lists applied, pending, unknown and changed migrations and exits \
            1 unless the database is current.

            \(EnvironmentHelp.text(EnvironmentHelp.database))
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Read NNNN_name.sql migrations from this folder instead of those built in (development)")
    var schemaDir: String?

    @Flag(help: "List applied, pending, unknown and changed migrations; apply nothing")
    var status = false

    @Flag(help: "Print one JSON object")
    var json = false

    struct Report: Encodable {
        var applied: [String]
        var migrations: Int
        var upToDate: Bool
    }

    struct StatusReport: Encodable {
        var applied: [MigrationStatus.Applied]
        var pending: [String]
        var unknown: [String]
        var changed: [String]
        var required: String?
        var current: Bool
    }

    func run() async throws {
        let migrator = Migrator.resolve(schemaDirectory: schemaDir)
        let current = try await withDatabase(database) { open in
            let connection = try await connectOrFail(open.conninfo, purpose: .migrate)
            do {
                let current = try await status ? showStatus(migrator, connection) : apply(migrator, connection)
                await connection.close()
                return current
            } catch let failure as Migrator.Failure {
                await connection.close()
                throw fail(failure.description, error: .migrationFailed)
            } catch {
                await connection.close()
                throw error
            }
        }
        if !current { throw ExitStatus.rejected }
    }

    private func apply(_ migrator: Migrator, _ connection: PGConnection) async throws -> Bool {
        let meter = ProgressMeter(label: "migrate", unit: "migrations")
        let applied = try await migrator.migrate(
            connection, progress: { done, total in meter.update(done: done, total: total) })
        meter.finish()
        let count = try migrator.migrations().count
        if json {
            try printJSON(Report(applied: applied, migrations: count, upToDate: applied.isEmpty))
        } else if applied.isEmpty {
            print("schema is up to date (\(count) migrations applied)")
        } else {
            for name in applied { print("applied \(name)") }
        }
        return true
    }

    private func showStatus(_ migrator: Migrator, _ connection: PGConnection) async throws -> Bool {
        let status = try await migrator.status(connection)
        if json {
            try printJSON(
                StatusReport(
                    applied: status.applied, pending: status.pending, unknown: status.unknown,
                    changed: status.changed, required: status.required, current: status.current))
            return status.current
        }
        for applied in status.applied {
            let mark = status.changed.contains(applied.name) ? "changed" : "applied"
            let note = status.unknown.contains(applied.name) ? "  (unknown to this ledger)" : ""
            print("\(mark)  \(applied.name)  \(applied.appliedAt)\(note)")
        }
        for name in status.pending { print("pending  \(name)") }
        print(
            status.current
                ? "schema is current (\(status.applied.count) applied; this ledger needs \(status.required ?? "none"))"
                : "schema is not current: \(status.problems)")
        return status.current
    }
}
