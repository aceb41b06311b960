import EventStore
import Foundation

/// A PostgreSQL cluster of one test's own, for tests that stop, restart or reconfigure the server.
/// The shared test server (`TestDatabase`) must never be restarted: other tests run against it in
/// parallel. Runs as the `postgres` user when we are root (EmbeddedServer does that).
public final class PrivateCluster: Sendable {
    public let server: EmbeddedServer
    /// The maintenance database, as the cluster's superuser.
    public let conninfo: String

    private init(server: EmbeddedServer, conninfo: String) {
        self.server = server
        self.conninfo = conninfo
    }

    /// Initialises and starts a cluster in a fresh folder under /tmp (fsync off: tests only).
    public static func start(settings extra: [String: String] = [:]) throws -> PrivateCluster {
        let root = URL(fileURLWithPath: "/tmp/ledger-private-" + UUID().uuidString.prefix(8).lowercased())
        var settings = [
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "200",
        ]
        settings.merge(extra) { _, new in new }
        let server = EmbeddedServer(root: root, settings: settings)
        let running = try server.start(database: "postgres")
        return PrivateCluster(server: server, conninfo: running.conninfo(database: "postgres"))
    }

    /// The cluster's folder (data/, run/, server.log).
    public var root: URL { server.root }

    /// Creates a database with every migration applied and returns its connection string.
    public func migratedDatabase(tablespace: String? = nil) async throws -> String {
        let name = "ledger_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let admin = try await PGConnection.connect(conninfo)
        try await admin.execute(
            "CREATE DATABASE \(name)" + (tablespace.map { " TABLESPACE \(quoteIdentifier($0))" } ?? ""))
        await admin.close()
        guard let database = ConnectionString.replacingDatabase(in: conninfo, with: name) else {
            throw TestDatabaseError("cannot rewrite the private cluster's connection string")
        }
        let connection = try await PGConnection.connect(database)
        _ = try await Migrator(directory: TestDatabase.schemaDirectory).migrate(connection)
        await connection.close()
        return database
    }

    /// Runs SQL as the superuser on `database` (default: the maintenance database).
    public func execute(_ sql: String, on database: String? = nil) async throws {
        let connection = try await PGConnection.connect(database ?? conninfo)
        defer { Task { await connection.close() } }
        try await connection.execute(sql)
    }

    /// `pg_ctl restart -m fast`; returns how long it took.
    @discardableResult
    public func restart() throws -> Duration {
        try ContinuousClock().measure { try server.restart() }
    }

    /// Stops the server (fast shutdown); `resume()` starts it again.
    public func stop() { server.stop() }

    /// Starts the stopped server again with its settings.
    public func resume() throws { _ = try server.start(database: "postgres") }

    /// Stops the server and removes its folder.
    public func destroy() {
        server.stop()
        try? FileManager.default.removeItem(at: server.root)
    }
}
