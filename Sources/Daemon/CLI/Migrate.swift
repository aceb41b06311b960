import ArgumentParser
import EventStore
import Foundation

/// `ledger migrate`: apply the numbered SQL files of `schema/`, each once.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply schema/ migrations in order, once each, under an advisory lock.",
        discussion: "Refuses (exit 2) when an applied migration's file changed or is missing."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Folder of NNNN_name.sql migrations (default: ./schema, else beside the executable)")
    var schemaDir: String?

    func run() async throws {
        let migrator = Migrator(directory: Migrator.locateSchemaDirectory(explicit: schemaDir))
        try await withDatabase(database) { open in
            let connection: PGConnection
            do {
                connection = try await PGConnection.connect(open.conninfo, purpose: .migrate)
            } catch {
                throw fail("cannot connect to the database: \(error)")
            }
            do {
                let applied = try await migrator.migrate(connection)
                if applied.isEmpty {
                    print("schema is up to date (\(try migrator.migrations().count) migrations applied)")
                } else {
                    for name in applied { print("applied \(name)") }
                }
                await connection.close()
            } catch let failure as Migrator.Failure {
                await connection.close()
                throw fail(failure.description)
            }
        }
    }
}
