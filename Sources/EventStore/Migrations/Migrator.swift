import Foundation

/// Applies the numbered SQL files of `schema/` (`NNNN_name.sql`) in order, each once, each in its
/// own transaction, under a session advisory lock so concurrent runs wait for each other. The
/// SHA-256 of every applied file is recorded; a file whose bytes changed after it was applied, or
/// an applied migration whose file is gone, is refused.
public struct Migrator: Sendable {
    /// One migration file.
    public struct Migration: Sendable, Hashable {
        public var version: Int
        public var name: String
        public var sql: String
    }

    /// Why migrating stopped.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case noSchemaDirectory(String)
        case unreadable(file: String, reason: String)
        case duplicateVersion(Int, [String])
        case changedAfterApply(name: String)
        case missingFile(name: String)
        case failed(name: String, error: DatabaseError)

        public var description: String {
            switch self {
            case .noSchemaDirectory(let path):
                "no schema directory at \(path): run from the repository root or pass --schema-dir"
            case .unreadable(let file, let reason): "cannot read migration \(file): \(reason)"
            case .duplicateVersion(let version, let names):
                "two migrations share number \(version): \(names.joined(separator: ", ")); renumber one"
            case .changedAfterApply(let name):
                "migration \(name) was changed after it was applied; applied migrations are immutable: "
                    + "restore the file and put the change in a new numbered migration"
            case .missingFile(let name):
                "migration \(name) is applied in the database but missing from the schema directory: "
                    + "this binary is older than the database"
            case .failed(let name, let error): "migration \(name) failed and was rolled back: \(error)"
            }
        }
    }

    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// Finds `schema/`: the given directory, else `./schema`, else a `schema` folder beside or above
    /// the running executable (so `.build/debug/ledger` works from anywhere).
    public static func locateSchemaDirectory(explicit: String?) -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        let fileManager = FileManager.default
        let local = URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent("schema")
        if fileManager.fileExists(atPath: local.appendingPathComponent("0001_event_store.sql").path) { return local }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("schema")
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("0001_event_store.sql").path) {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        return local
    }

    /// The migration files, in order.
    public func migrations() throws(Failure) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .noSchemaDirectory(directory.path)
        }
        var migrations: [Migration] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            let digits = name.prefix { $0.isASCII && $0.isNumber }
            guard digits.count == 4, name.dropFirst(4).hasPrefix("_"), let version = Int(digits) else { continue }
            let sql: String
            do {
                sql = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            } catch {
                throw .unreadable(file: name, reason: "not readable as UTF-8")
            }
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        for (version, group) in Dictionary(grouping: migrations, by: \.version) where group.count > 1 {
            throw .duplicateVersion(version, group.map(\.name).sorted())
        }
        return migrations
    }

    /// Applies what is pending and returns the names applied (empty when up to date).
    public func migrate(_ connection: PGConnection) async throws -> [String] {
        let files = try migrations()
        try await connection.advisoryLock(.migration, .lock)
        do {
            let applied = try await apply(files, on: connection)
            try await connection.advisoryLock(.migration, .unlock)
            return applied
        } catch {
            // The migration's error is the one to report; the lock also ends with the session.
            do { try await connection.advisoryLock(.migration, .unlock) } catch {}
            throw error
        }
    }

    private func apply(_ files: [Migration], on connection: PGConnection) async throws -> [String] {
        let recorded = try await appliedChecksums(connection)
        for (name, _) in recorded where !files.contains(where: { $0.name == name }) {
            throw Failure.missingFile(name: name)
        }
        var applied: [String] = []
        for file in files {
            let checksum = try await checksum(of: file.sql, on: connection)
            if let stored = recorded[file.name] {
                guard stored == checksum else { throw Failure.changedAfterApply(name: file.name) }
                continue
            }
            do {
                try await connection.transaction { connection in
                    try connection.execute(file.sql)
                    try connection.query(
                        "INSERT INTO ledger.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                        [file.version, file.name, checksum])
                }
            } catch let error as DatabaseError {
                throw Failure.failed(name: file.name, error: error)
            }
            applied.append(file.name)
        }
        return applied
    }

    /// Applied migrations and their checksums; empty on a fresh database.
    public func appliedChecksums(_ connection: PGConnection) async throws -> [String: String] {
        let exists = try await connection.query("SELECT to_regclass('ledger.schema_migrations') IS NOT NULL")
            .singleRow().decode(Bool.self, 0)
        guard exists else { return [:] }
        var checksums: [String: String] = [:]
        for row in try await connection.query("SELECT name, checksum FROM ledger.schema_migrations").rows {
            checksums[try row.decode(String.self, 0)] = try row.decode(String.self, 1)
        }
        return checksums
    }

    /// SHA-256 of the file's UTF-8 bytes, hex; computed by the server so no crypto library is needed.
    private func checksum(of sql: String, on connection: PGConnection) async throws -> String {
        try await connection.query("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", [sql])
            .singleRow().decode(String.self, 0)
    }
}
