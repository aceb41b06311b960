import EventStore
import Foundation
import TestSupport
import Testing

/// Issue #19 item 3: the migrations are built into `ledger`, `migrate --status` lists applied and
/// pending, and `serve` refuses a database whose migrations are not exactly the binary's.
@Suite("migrations inside the binary")
struct BuiltInMigrationTests {
    func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// A fresh folder with nothing in it, removed by the caller.
    func emptyFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A copy of schema/ changed by `change`.
    func schemaCopy(_ change: (URL) throws -> Void) throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestDatabase.schemaDirectory, to: copy)
        try change(copy)
        return copy
    }

    var fileNames: [String] {
        get throws { try Migrator(directory: TestDatabase.schemaDirectory).migrations().map(\.name) }
    }

    @Test("migrate from an empty folder applies every migration of schema/; --status lists applied and pending")
    func migrateFromEmptyFolder() async throws {
        let folder = try emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await TestDatabase.emptyDatabase()
        let names = try fileNames

        let before = try await LedgerExecutable.run(
            ["migrate", "--status", "--json", "--database-url", database], directory: folder.path)
        #expect(before.status == 1, "not current: \(before.errorOutput)")
        let pending = try #require(object(before.output), "\(before.output)")
        #expect(pending["pending"] as? [String] == names)
        #expect((pending["applied"] as? [Any])?.isEmpty == true)
        #expect(pending["current"] as? Bool == false)
        #expect(pending["required"] as? String == names.last)

        let migrated = try await LedgerExecutable.run(["migrate", "--database-url", database], directory: folder.path)
        #expect(migrated.status == 0, "\(migrated.errorOutput)")
        #expect(migrated.output == names.map { "applied \($0)\n" }.joined())
        #expect(migrated.errorOutput.isEmpty, "no progress when stderr is not a terminal")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing written here")

        let again = try await LedgerExecutable.run(
            ["migrate", "--json", "--database-url", database], directory: folder.path)
        #expect(again.status == 0)
        let report = try #require(object(again.output))
        #expect((report["applied"] as? [Any])?.isEmpty == true)
        #expect(report["upToDate"] as? Bool == true)
        #expect(report["migrations"] as? Int == names.count)

        let after = try await LedgerExecutable.run(
            ["migrate", "--status", "--json", "--database-url", database], directory: folder.path)
        #expect(after.status == 0)
        let current = try #require(object(after.output))
        #expect(current["current"] as? Bool == true)
        #expect((current["pending"] as? [Any])?.isEmpty == true)
        let applied = try #require(current["applied"] as? [[String: Any]])
        #expect(applied.map { $0["name"] as? String } == names)
        #expect(applied.allSatisfy { ($0["appliedAt"] as? String)?.hasSuffix("Z") == true })
        let text = try await LedgerExecutable.run(["migrate", "--status", "--database-url", database])
        #expect(text.output.contains("applied  \(names[0])"))
        #expect(text.output.contains("schema is current"))
    }

    @Test("a folder's own schema/ is not used: only --schema-dir reads a folder")
    func workingDirectoryIgnored() async throws {
        let folder = try emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let decoy = folder.appendingPathComponent("schema")
        try FileManager.default.createDirectory(at: decoy, withIntermediateDirectories: true)
        try "CREATE SCHEMA decoy;\n".write(
            to: decoy.appendingPathComponent("0001_event_store.sql"), atomically: true, encoding: .utf8)
        let database = try await TestDatabase.emptyDatabase()
        let migrated = try await LedgerExecutable.run(["migrate", "--database-url", database], directory: folder.path)
        #expect(migrated.status == 0, "\(migrated.errorOutput)")
        let connection = try await PGConnection.connect(database)
        let decoyed = try await connection.query("SELECT to_regnamespace('decoy') IS NOT NULL").singleRow()
        #expect(try !decoyed.decode(Bool.self, 0), "./schema of the working directory was applied")
        await connection.close()
    }

    @Test("serve refuses a database with a pending migration, naming it (exit 2)")
    func servePending() async throws {
        let names = try fileNames
        let older = try schemaCopy { copy in
            try FileManager.default.removeItem(at: copy.appendingPathComponent(names.last!))
        }
        defer { try? FileManager.default.removeItem(at: older) }
        let database = try await TestDatabase.emptyDatabase()
        let migrated = try await LedgerExecutable.run([
            "migrate", "--database-url", database, "--schema-dir", older.path,
        ])
        #expect(migrated.status == 0, "\(migrated.errorOutput)")
        let serve = try await LedgerExecutable.run(["serve", "--database-url", database, "--http-port", "1"])
        #expect(serve.status == 2)
        #expect(serve.errorOutput.contains("pending: \(names.last!)"), "\(serve.errorOutput)")
        #expect(serve.errorOutput.contains("hint: run `ledger migrate`"), "\(serve.errorOutput)")
        let status = try await LedgerExecutable.run(["migrate", "--status", "--database-url", database])
        #expect(status.status == 1)
        #expect(status.output.contains("pending  \(names.last!)"))
    }

    @Test("serve refuses a database with a migration this binary does not know, naming it (exit 2)")
    func serveUnknown() async throws {
        let newer = try schemaCopy { copy in
            try "CREATE TABLE ledger.from_a_newer_ledger (n int);\n".write(
                to: copy.appendingPathComponent("9001_from_a_newer_ledger.sql"), atomically: true, encoding: .utf8)
        }
        defer { try? FileManager.default.removeItem(at: newer) }
        let database = try await TestDatabase.emptyDatabase()
        let migrated = try await LedgerExecutable.run([
            "migrate", "--database-url", database, "--schema-dir", newer.path,
        ])
        #expect(migrated.status == 0, "\(migrated.errorOutput)")
        let serve = try await LedgerExecutable.run(["serve", "--database-url", database, "--http-port", "1"])
        #expect(serve.status == 2)
        #expect(
            serve.errorOutput.contains("unknown to this ledger: 9001_from_a_newer_ledger.sql"), "\(serve.errorOutput)")
        let status = try await LedgerExecutable.run(["migrate", "--status", "--json", "--database-url", database])
        #expect(status.status == 1)
        #expect(object(status.output)?["unknown"] as? [String] == ["9001_from_a_newer_ledger.sql"])
        let migrate = try await LedgerExecutable.run(["migrate", "--database-url", database])
        #expect(migrate.status == 2, "the built-in migrations refuse a database that is ahead of them")
        #expect(migrate.errorOutput.contains("9001_from_a_newer_ledger.sql"))
    }

    @Test("serve with no database configured refuses with exit 2 and a hint, and starts nothing")
    func serveWithoutDatabase() async throws {
        let folder = try emptyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let serve = try await LedgerExecutable.run(["serve", "--http-port", "1"], directory: folder.path)
        #expect(serve.status == 2)
        #expect(serve.errorOutput.hasPrefix("ledger: no database configured"), "\(serve.errorOutput)")
        #expect(serve.errorOutput.contains("hint: set LEDGER_DATABASE_URL or pass --database-url"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/.ledger"), "no private cluster was made")
        let empty = try await LedgerExecutable.run(
            ["serve", "--http-port", "1"], environment: ["LEDGER_DATABASE_URL": ""], directory: folder.path)
        #expect(empty.status == 2, "an empty LEDGER_DATABASE_URL is no database")
        let both = try await LedgerExecutable.run(
            ["serve", "--embedded", "--http-port", "1"], environment: ["LEDGER_DATABASE_URL": "dbname=x"],
            directory: folder.path)
        #expect(both.status == 2)
        #expect(both.errorOutput.contains("contradict"), "\(both.errorOutput)")
    }

    @Test("serve --embedded runs on the private cluster in ./.ledger/ and says so at start")
    func serveEmbedded() async throws {
        let folder = try emptyFolder()
        defer {
            EmbeddedServer(root: folder.appendingPathComponent(".ledger")).stop()
            try? FileManager.default.removeItem(at: folder)
        }
        let migrated = try await LedgerExecutable.run(["migrate"], directory: folder.path)
        #expect(migrated.status == 0, "\(migrated.errorOutput)")
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LEDGER_DATABASE_URL")
        let port = Int.random(in: 20_000...60_000)
        let server = try ChildProcess.start(
            LedgerExecutable.path, ["serve", "--embedded", "--http-port", String(port)], environment: environment,
            directory: folder.path)
        let up = try await eventually(within: .seconds(30)) {
            (try? await ServeTests().call(port, "GET", "/health", token: nil))?.status == 200
        }
        server.kill(SIGTERM)
        let stopped = await server.wait(within: .seconds(60))
        #expect(up, "\(stopped.errorOutput)")
        #expect(stopped.status == 0)
        #expect(stopped.errorOutput.contains("private embedded PostgreSQL cluster"), "\(stopped.errorOutput)")
        #expect(stopped.errorOutput.contains(folder.lastPathComponent + "/.ledger"), "\(stopped.errorOutput)")
    }
}
