/// A bounded pool of `PGConnection`s to one database.
///
/// At most `Configuration.maximumConnections` connections exist at once; callers beyond that wait
/// in line (FIFO). A connection that comes back broken or inside a transaction is closed, not
/// reused.
public actor ConnectionPool {
    /// How the pool connects and how large it may grow.
    public struct Configuration: Sendable {
        /// libpq connection string or URI.
        public var conninfo: String
        /// Upper bound on open connections (default 8).
        public var maximumConnections: Int
        /// Session settings for every connection.
        public var settings: [(String, String)]

        public init(
            conninfo: String, maximumConnections: Int = 8,
            settings: [(String, String)] = ConnectionPool.writerSettings
        ) {
            precondition(maximumConnections > 0, "a pool needs at least one connection")
            self.conninfo = conninfo
            self.maximumConnections = maximumConnections
            self.settings = settings
        }
    }

    /// Default session settings: UTC ISO timestamps, and a bound on idle transactions, since an
    /// open writing transaction holds every subscriber's horizon back (ARCHITECTURE.md).
    public static let writerSettings: [(String, String)] =
        PGConnection.defaultSettings + [("idle_in_transaction_session_timeout", "30s")]

    public let configuration: Configuration
    private var idle: [PGConnection] = []
    private var openCount = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var closed = false

    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// Lends a connection to `body` and takes it back afterwards.
    public nonisolated func withConnection<T: Sendable>(
        _ body: (PGConnection) async throws -> T
    ) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            await release(connection)
            return value
        } catch {
            await release(connection, discard: Self.spoilsSession(error))
            throw error
        }
    }

    /// Whether `error` shows the session itself is unfit for later work, though libpq still calls
    /// it healthy: a session opened while the database was read-only (SQLSTATE 25006) stays
    /// read-only after the database is made writable again, and one the server is shutting down
    /// or has cancelled for an administrator (57P0x) is about to go.
    static func spoilsSession(_ error: any Error) -> Bool {
        guard let database = databaseError(error) else { return false }
        return database.kind == .connection || database.sqlState == DatabaseError.State.readOnlyTransaction
            || database.sqlState?.hasPrefix("57P") == true
    }

    /// Runs `body` in a transaction on a pooled connection.
    public nonisolated func transaction<T: Sendable>(
        _ body: @Sendable (isolated PGConnection) throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try await connection.transaction(body)
        }
    }

    private func acquire() async throws -> PGConnection {
        while true {
            if closed { throw DatabaseError(kind: .usage, message: "the connection pool is closed") }
            if let connection = idle.popLast() { return connection }
            if openCount < configuration.maximumConnections {
                openCount += 1
                do {
                    return try await PGConnection.connect(configuration.conninfo, settings: configuration.settings)
                } catch {
                    openCount -= 1
                    wakeOne()
                    throw error
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    private func release(_ connection: PGConnection, discard: Bool = false) async {
        if !closed, !discard, await connection.isIdle {
            idle.append(connection)
        } else {
            await connection.close()
            openCount -= 1
        }
        wakeOne()
    }

    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }

    /// Closes idle connections and refuses new work; connections in use close when returned.
    public func close() async {
        closed = true
        for connection in idle { await connection.close() }
        openCount -= idle.count
        idle.removeAll()
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }

    /// Whether `error` is the refusal of a read-only session (SQLSTATE 25006).
    public static func readOnly(_ error: any Error) -> Bool {
        databaseError(error)?.sqlState == DatabaseError.State.readOnlyTransaction
    }

    private static func databaseError(_ error: any Error) -> DatabaseError? {
        switch error {
        case let error as DatabaseError: error
        case EventStoreError.database(let error): error
        default: nil
        }
    }
}
