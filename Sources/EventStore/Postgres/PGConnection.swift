// One PostgreSQL connection over libpq.
//
// Threading decision (STYLE.md §4, option a): libpq's synchronous API blocks the calling thread,
// and Swift's cooperative pool has only as many threads as cores. So each `PGConnection` is an
// actor whose serial executor is a dedicated OS thread (`ConnectionThread`). Every isolated
// method, and therefore every libpq call on this connection, runs on that thread; callers hop to
// it with `await` and the cooperative pool is never blocked. Work that needs several statements
// (a transaction) runs as one synchronous closure on the connection's thread: no hop per statement.
//
// Parameters are always bound (`$1`, `$2`, …) through PQexecPrepared, never spliced into SQL
// text. Each distinct SQL text is prepared once per connection and reused.
import CLibPQ
import Foundation
import Synchronization

/// A notification received on a channel the connection LISTENs to.
public struct PGNotification: Sendable, Hashable {
    public var channel: String
    public var payload: String
    public var senderProcessID: Int32
}

/// One libpq connection, running all its calls on a thread of its own.
public actor PGConnection {
    private static let threadCounter = Atomic<Int>(0)

    private let thread: ConnectionThread
    private var handle: OpaquePointer?
    private var preparedNames: [String: String] = [:]
    private var pendingNotifications: [PGNotification] = []
    /// What the connection is for (counted in `ConnectionRegistry` while open).
    public nonisolated let purpose: ConnectionPurpose
    private var counted = false

    /// The executor is the connection's own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    /// When the connection was opened (for the outage log: a connection from before the database
    /// came back that breaks now is a leftover of that outage, not a new one).
    public nonisolated let openedAt = ContinuousClock.now

    private init(thread: ConnectionThread, purpose: ConnectionPurpose) {
        self.thread = thread
        self.purpose = purpose
    }

    isolated deinit {
        if let handle { PQfinish(handle) }
        if counted { ConnectionRegistry.shared.closed(purpose) }
        thread.stop()
    }

    /// Opens a connection.
    ///
    /// - Parameters:
    ///   - conninfo: any libpq connection string or URI; libpq also reads `PG*` variables and
    ///     `.pgpass`, so an empty string works where those are set.
    ///   - settings: session settings applied right after connecting (`SET name = value`).
    ///   - purpose: what the connection is for; it is counted under it in `ConnectionRegistry`.
    public static func connect(
        _ conninfo: String, settings: [(String, String)] = PGConnection.defaultSettings,
        purpose: ConnectionPurpose = .other
    ) async throws(DatabaseError) -> PGConnection {
        let number = threadCounter.add(1, ordering: .relaxed).newValue
        let connection = PGConnection(thread: ConnectionThread(name: "libpq-\(number)"), purpose: purpose)
        try await connection.open(conninfo, settings: settings)
        return connection
    }

    /// Opens a connection for `body` and closes it on every path (return, throw, cancellation).
    public static func withConnection<T: Sendable>(
        _ conninfo: String, purpose: ConnectionPurpose, settings: [(String, String)] = PGConnection.defaultSettings,
        _ body: (PGConnection) async throws -> T
    ) async throws -> T {
        try await connect(conninfo, settings: settings, purpose: purpose).closing(after: body)
    }

    /// Settings every connection gets: UTC ISO timestamps, so `Date` round-trips exactly.
    public static let defaultSettings: [(String, String)] = [("TimeZone", "UTC"), ("DateStyle", "ISO")]

    private func open(_ conninfo: String, settings: [(String, String)]) throws(DatabaseError) {
        let handle = PQconnectdb(conninfo)
        self.handle = handle
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let message = DatabaseError.connectionMessage(handle)
            throw DatabaseError(kind: .connection, message: message)
        }
        // Server notices (and the FATAL of a server shutting down under an idle connection) would
        // otherwise be printed on stderr by libpq; errors reach callers as `DatabaseError`s. Set
        // before the first statement (PQsetClientEncoding): a FATAL that came in with the startup
        // answers is read there as a notice, and would be printed, breaking the log's lines.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        PQsetClientEncoding(handle, "UTF8")
        ConnectionRegistry.shared.opened(purpose)
        counted = true
        for (name, value) in settings {
            _ = try query("SELECT set_config($1, $2, false)", [name, value])
        }
    }

    /// Whether the connection is usable (not broken, not closed).
    public var isHealthy: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Whether the connection is idle outside any transaction (what a pool wants back).
    public var isIdle: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// The server's process id for this session.
    public var backendProcessID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    /// Closes the connection; later calls fail with a connection error.
    public func close() {
        if let handle { PQfinish(handle) }
        if counted { ConnectionRegistry.shared.closed(purpose) }
        counted = false
        handle = nil
        preparedNames.removeAll()
    }

    private func liveHandle() throws(DatabaseError) -> OpaquePointer {
        guard let handle else { throw DatabaseError(kind: .connection, message: "connection is closed") }
        return handle
    }

    /// Runs one statement with bound parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PGEncodable)?] = []) throws(DatabaseError) -> PGResult {
        let handle = try liveHandle()
        let name = try preparedName(for: sql, parameterCount: parameters.count, handle: handle)
        let texts: [UnsafeMutablePointer<CChar>?] = parameters.map { value in
            value.map { strdup($0.pgText) } ?? nil
        }
        defer { for text in texts { free(text) } }
        let raw = texts.map { UnsafePointer($0) }
        let result = raw.withUnsafeBufferPointer { buffer in
            PQexecPrepared(handle, name, Int32(parameters.count), buffer.baseAddress, nil, nil, 0)
        }
        return try check(result, handle: handle)
    }

    private func preparedName(
        for sql: String, parameterCount: Int, handle: OpaquePointer
    ) throws(DatabaseError) -> String {
        if let name = preparedNames[sql] { return name }
        let name = "ledger_\(preparedNames.count + 1)"
        let result = PQprepare(handle, name, sql, Int32(parameterCount), nil)
        _ = try check(result, handle: handle)
        preparedNames[sql] = name
        return name
    }

    /// Runs SQL text without parameters, possibly several statements (migrations, `BEGIN`).
    public func execute(_ sql: String) throws(DatabaseError) {
        let handle = try liveHandle()
        _ = try check(PQexec(handle, sql), handle: handle)
    }

    private func check(_ result: OpaquePointer?, handle: OpaquePointer) throws(DatabaseError) -> PGResult {
        guard let result else { throw DatabaseError(result: nil, connection: handle) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN:
            return PGResult(result)
        default:
            let error = DatabaseError(result: result, connection: handle)
            PQclear(result)
            if error.kind == .connection { preparedNames.removeAll() }
            throw error
        }
    }

    /// Runs `body` inside `BEGIN … COMMIT` on this connection's thread; any error rolls back.
    ///
    /// The body is synchronous on purpose: a transaction holds locks, so it must not wait for
    /// anything but the database.
    public func transaction<T: Sendable>(
        isolation level: String = "READ COMMITTED",
        _ body: @Sendable (isolated PGConnection) throws -> T
    ) throws -> T {
        try execute("BEGIN ISOLATION LEVEL \(level)")
        do {
            let value = try body(self)
            try execute("COMMIT")
            return value
        } catch {
            if isHealthy { try? execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: LISTEN / NOTIFY

    /// Starts listening on `channel` (an identifier of our own, quoted here).
    public func listen(_ channel: String) throws(DatabaseError) {
        try execute("LISTEN \(quoteIdentifier(channel))")
    }

    /// Waits up to `timeout` for notifications and returns those that arrived (maybe none).
    ///
    /// Blocks this connection's thread only; use a connection dedicated to listening.
    public func waitForNotifications(timeout: Duration) throws(DatabaseError) -> [PGNotification] {
        let handle = try liveHandle()
        drainNotifications(handle)
        if pendingNotifications.isEmpty {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(
                clamping: timeout.components.seconds * 1000
                    + timeout.components.attoseconds / 1_000_000_000_000_000)
            _ = poll(&descriptor, 1, milliseconds)
            guard PQconsumeInput(handle) == 1 else {
                throw DatabaseError(kind: .connection, message: DatabaseError.connectionMessage(handle))
            }
            drainNotifications(handle)
        }
        defer { pendingNotifications.removeAll() }
        return pendingNotifications
    }

    private func drainNotifications(_ handle: OpaquePointer) {
        while let notify = PQnotifies(handle) {
            let value = notify.pointee
            pendingNotifications.append(
                PGNotification(
                    channel: String(cString: value.relname), payload: String(cString: value.extra),
                    senderProcessID: value.be_pid))
            PQfreemem(notify)
        }
    }

    // MARK: COPY

    /// Runs `COPY … FROM STDIN` and streams `chunks` (text format lines) to the server.
    /// Returns the number of rows copied.
    @discardableResult
    public func copyIn<S: Sequence>(_ sql: String, chunks: S) throws(DatabaseError) -> Int where S.Element == String {
        let handle = try liveHandle()
        _ = try check(PQexec(handle, sql), handle: handle)
        for chunk in chunks {
            let sent = chunk.utf8CString.withUnsafeBufferPointer { buffer in
                PQputCopyData(handle, buffer.baseAddress, Int32(buffer.count - 1))
            }
            guard sent == 1 else {
                throw DatabaseError(kind: .connection, message: DatabaseError.connectionMessage(handle))
            }
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            throw DatabaseError(kind: .connection, message: DatabaseError.connectionMessage(handle))
        }
        var copied = 0
        var failure: DatabaseError?
        while let result = PQgetResult(handle) {
            do { copied += try check(result, handle: handle).affectedRows } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
        return copied
    }
}

/// Quotes an SQL identifier (for the few statements that take no parameters, like LISTEN).
public func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
