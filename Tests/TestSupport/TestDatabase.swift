import EventStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL for tests: the server named by `LEDGER_TEST_DATABASE_URL` (any libpq
/// URI or connection string whose user may create databases), else a private cluster started once
/// per test process in a temporary folder (fsync off) and stopped when the process exits. Every
/// test gets a fresh, migrated database of its own, so tests run in parallel without sharing rows.
public enum TestDatabase {
    /// The repository's `schema/` folder.
    public static let schemaDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schema")

    /// The repository root.
    public static var repositoryRoot: URL { schemaDirectory.deletingLastPathComponent() }

    /// A connection string to the test server's maintenance database.
    public static func serverConninfo() async throws -> String {
        try await TestServer.shared.conninfo()
    }

    /// Creates an empty database (not migrated) and returns its connection string.
    public static func emptyDatabase() async throws -> String {
        let server = try await serverConninfo()
        let name = "ledger_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try await PGConnection.connect(server)
        try await admin.execute("CREATE DATABASE \(name)")
        await admin.close()
        guard let conninfo = ConnectionString.replacingDatabase(in: server, with: name) else {
            throw TestDatabaseError("cannot rewrite the test connection string")
        }
        return conninfo
    }

    /// Creates a fresh database with every migration applied.
    public static func migratedDatabase() async throws -> String {
        let conninfo = try await emptyDatabase()
        let connection = try await PGConnection.connect(conninfo)
        _ = try await Migrator(directory: schemaDirectory).migrate(connection)
        await connection.close()
        return conninfo
    }

    /// A fresh migrated database with a store over a pool of `maximumConnections`.
    public static func freshStore(maximumConnections: Int = 8) async throws -> TestStore {
        let conninfo = try await migratedDatabase()
        let pool = ConnectionPool(.init(conninfo: conninfo, maximumConnections: maximumConnections))
        return TestStore(conninfo: conninfo, pool: pool, store: PostgresEventStore(pool: pool))
    }
}

/// A test's database, pool and store.
public struct TestStore: Sendable {
    public var conninfo: String
    public var pool: ConnectionPool
    public var store: PostgresEventStore

    /// Opens a separate connection (for raw SQL in tests).
    public func connect() async throws -> PGConnection {
        try await PGConnection.connect(conninfo)
    }
}

/// A failure of the test harness itself.
public struct TestDatabaseError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Starts the private test cluster at most once per process.
actor TestServer {
    static let shared = TestServer()
    private var cached: String?

    func conninfo() throws -> String {
        if let cached { return cached }
        if let url = ProcessInfo.processInfo.environment["LEDGER_TEST_DATABASE_URL"], !url.isEmpty {
            cached = url
            return url
        }
        let root = URL(fileURLWithPath: "/tmp/ledger-test-\(getpid())")
        let server = EmbeddedServer(
            root: root,
            settings: [
                "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "1000",
            ])
        let running = try server.start(database: "postgres")
        testClusterRoot = root.path
        atexit {
            guard let path = testClusterRoot else { return }
            EmbeddedServer(root: URL(fileURLWithPath: path)).stop()
            try? FileManager.default.removeItem(atPath: path)
        }
        let conninfo = running.conninfo(database: "postgres")
        cached = conninfo
        return conninfo
    }
}

/// Read by the exit handler (a C function pointer cannot capture).
nonisolated(unsafe) private var testClusterRoot: String?
