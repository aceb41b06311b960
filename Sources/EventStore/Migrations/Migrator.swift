import Foundation

/// Applies the numbered SQL files of `schema/` (`NNNN_name.sql`, built into the binary; a folder
/// for development) in order, each once, each in its own transaction, under a session advisory
/// lock so concurrent runs wait for each other. The
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
                "no schema directory at \(path): pass an existing folder to --schema-dir, or omit it to use the migrations built into ledger"
            case .unreadable(let file, let reason): "cannot read migration \(file): \(reason)"
            case .duplicateVersion(let version, let names):
                "two migrations share number \(version): \(names.joined(separator: ", ")); renumber one"
            case .changedAfterApply(let name):
                "migration \(name) was changed after it was applied; applied migrations are immutable: "
                    + "restore the file and put the change in a new numbered migration"
            case .missingFile(let name):
                "migration \(name) is applied in the database but not among the migrations this ledger has "
                    + "(built in, or --schema-dir): "
                    + "this binary is older than the database"
            case .failed(let name, let error): "migration \(name) failed and was rolled back: \(error)"
            }
        }
    }

    /// Where the migration files come from.
    public enum Source: Sendable, Hashable {
        /// The files of `schema/` built into this binary at compile time (the default).
        case builtIn
        /// A folder of `NNNN_name.sql` files, for development (`--schema-dir`).
        case directory(URL)
    }

    public let source: Source

    public init(source: Source) {
        self.source = source
    }

    public init(directory: URL) {
        self.init(source: .directory(directory))
    }

    /// The migrations this binary was built with.
    public static let builtIn = Migrator(source: .builtIn)

    /// The given folder (`--schema-dir`), else the migrations built into the binary. The working
    /// directory is never searched, so a daemon started in another folder cannot pick up other files.
    public static func resolve(schemaDirectory explicit: String?) -> Migrator {
        explicit.map { Migrator(directory: URL(fileURLWithPath: $0)) } ?? .builtIn
    }

    /// The migration files, in order.
    public func migrations() throws(Failure) -> [Migration] {
        var files: [(name: String, sql: String)] = []
        switch source {
        case .builtIn:
            for file in EmbeddedSchemaFiles.all {
                guard let data = Data(base64Encoded: file.base64), let sql = String(data: data, encoding: .utf8) else {
                    throw .unreadable(file: file.name, reason: "not readable as UTF-8")
                }
                files.append((file.name, sql))
            }
        case .directory(let directory):
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            } catch {
                throw .noSchemaDirectory(directory.path)
            }
            for name in names.sorted() where Self.version(of: name) != nil {
                do {
                    files.append(
                        (name, try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)))
                } catch {
                    throw .unreadable(file: name, reason: "not readable as UTF-8")
                }
            }
        }
        var migrations: [Migration] = []
        for file in files.sorted(by: { $0.name < $1.name }) {
            guard let version = Self.version(of: file.name) else { continue }
            migrations.append(Migration(version: version, name: file.name, sql: file.sql))
        }
        for (version, group) in Dictionary(grouping: migrations, by: \.version) where group.count > 1 {
            throw .duplicateVersion(version, group.map(\.name).sorted())
        }
        return migrations
    }

    /// The number of a `NNNN_name.sql` file name; nil for any other name.
    static func version(of name: String) -> Int? {
        guard name.hasSuffix(".sql") else { return nil }
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard digits.count == 4, name.dropFirst(4).hasPrefix("_") else { return nil }
        return Int(digits)
    }

    /// Applies what is pending and returns the names applied (empty when up to date);
    /// `progress(done, total)` is called after each file applied (total = the pending count).
    public func migrate(
        _ connection: PGConnection, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> [String] {
        let files = try migrations()
        try await connection.advisoryLock(.migration, .lock)
        do {
            let applied = try await apply(files, on: connection, progress: progress)
            try await connection.advisoryLock(.migration, .unlock)
            return applied
        } catch {
            // The migration's error is the one to report; the lock also ends with the session.
            do { try await connection.advisoryLock(.migration, .unlock) } catch {}
            throw error
        }
    }

    private func apply(
        _ files: [Migration], on connection: PGConnection, progress: (@Sendable (Int, Int) -> Void)?
    ) async throws -> [String] {
        let recorded = try await appliedChecksums(connection)
        for (name, _) in recorded.sorted(by: { $0.key < $1.key }) where !files.contains(where: { $0.name == name }) {
            throw Failure.missingFile(name: name)
        }
        let pendingCount = files.filter { recorded[$0.name] == nil }.count
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
            progress?(applied.count, pendingCount)
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
    func checksum(of sql: String, on connection: PGConnection) async throws -> String {
        try await connection.query("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", [sql])
            .singleRow().decode(String.self, 0)
    }
}
