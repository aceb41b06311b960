import EventStore
import Foundation
import TestSupport
import Testing

@Suite("ledger migrate")
struct MigrationTests {
    /// A copy of schema/ that a test may change.
    func copyOfSchema() throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestDatabase.schemaDirectory, to: copy)
        return copy
    }

    @Test("twice in a row: the second run is a no-op")
    func migrateTwice() async throws {
        let database = try await TestDatabase.emptyDatabase()
        let schema = TestDatabase.schemaDirectory.path
        let first = try await LedgerExecutable.run(["migrate", "--database-url", database, "--schema-dir", schema])
        #expect(first.status == 0, "\(first.errorOutput)")
        #expect(first.output.contains("applied 0001_event_store.sql"))
        let second = try await LedgerExecutable.run(["migrate", "--database-url", database, "--schema-dir", schema])
        #expect(second.status == 0, "\(second.errorOutput)")
        #expect(!second.output.contains("applied "))
        #expect(second.output.contains("up to date"))
        let connection = try await PGConnection.connect(database)
        let applied = try await connection.query("SELECT name, checksum FROM ledger.schema_migrations ORDER BY version")
        #expect(applied.rowCount == (try Migrator(directory: TestDatabase.schemaDirectory).migrations().count))
        #expect(try applied.rows[0].decode(String.self, 1).count == 64)
        await connection.close()
    }

    @Test("a changed applied migration is refused with exit 2, naming the file")
    func changedMigrationRefused() async throws {
        let database = try await TestDatabase.emptyDatabase()
        let schema = try copyOfSchema()
        defer { try? FileManager.default.removeItem(at: schema) }
        let first = try await LedgerExecutable.run(["migrate", "--database-url", database, "--schema-dir", schema.path])
        #expect(first.status == 0, "\(first.errorOutput)")
        let file = schema.appendingPathComponent("0001_event_store.sql")
        try (try String(contentsOf: file, encoding: .utf8) + "\n-- an edit after the fact\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let refused = try await LedgerExecutable.run([
            "migrate", "--database-url", database, "--schema-dir", schema.path,
        ])
        #expect(refused.status == 2)
        #expect(refused.errorOutput.contains("0001_event_store.sql"))
        #expect(refused.errorOutput.contains("changed after it was applied"))
    }

    @Test("a new migration is applied after the old ones; a failing one rolls back and exits 2")
    func newAndFailingMigrations() async throws {
        let database = try await TestDatabase.emptyDatabase()
        let schema = try copyOfSchema()
        defer { try? FileManager.default.removeItem(at: schema) }
        try "CREATE TABLE ledger.added_later (n int);\n"
            .write(to: schema.appendingPathComponent("9001_add_table.sql"), atomically: true, encoding: .utf8)
        let first = try await LedgerExecutable.run(["migrate", "--database-url", database, "--schema-dir", schema.path])
        #expect(first.status == 0, "\(first.errorOutput)")
        #expect(first.output.contains("applied 9001_add_table.sql"))
        try "CREATE TABLE ledger.half_done (n int);\nSELECT 1/0;\n"
            .write(to: schema.appendingPathComponent("9002_broken.sql"), atomically: true, encoding: .utf8)
        let broken = try await LedgerExecutable.run([
            "migrate", "--database-url", database, "--schema-dir", schema.path,
        ])
        #expect(broken.status == 2)
        #expect(broken.errorOutput.contains("9002_broken.sql"))
        let connection = try await PGConnection.connect(database)
        let halfDone = try await connection.query("SELECT to_regclass('ledger.half_done') IS NULL").singleRow()
        #expect(try halfDone.decode(Bool.self, 0), "a failed migration must leave nothing behind")
        await connection.close()
    }

    @Test("with no database configured, ledger starts, uses and stops a private server in ./.ledger")
    func embeddedDefault() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ledger-embedded-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let schema = TestDatabase.schemaDirectory.path
        let first = try await LedgerExecutable.run(["migrate", "--schema-dir", schema], directory: directory.path)
        #expect(first.status == 0, "\(first.errorOutput)")
        #expect(first.output.contains("applied 0001_event_store.sql"))
        #expect(FileManager.default.fileExists(atPath: directory.path + "/.ledger/data/PG_VERSION"))
        // The command stopped the server it started.
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/.ledger/data/postmaster.pid"))
        let second = try await LedgerExecutable.run(["migrate", "--schema-dir", schema], directory: directory.path)
        #expect(second.status == 0, "\(second.errorOutput)")
        #expect(second.output.contains("up to date"))
    }
}
