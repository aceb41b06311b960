import ServiceLifecycle

/// A bounded pool of `PGConnection`s to one database.
///
/// At most `Configuration.maximumConnections` connections exist at once; callers beyond that wait
/// in line (FIFO), for at most `Configuration.acquireTimeout`, and a cancelled waiter leaves the
/// line at once. A connection that comes back broken or inside a transaction is closed, not
/// reused. Failures that mean the database is away, and the first connection opened after them,
/// are reported to `DatabaseAvailability.shared`, which logs the outage once. As a `Service` it
/// stays open until graceful shutdown, then closes (run it first in a `ServiceGroup`, so it closes
/// last).
public actor ConnectionPool: Service {
    /// How the pool connects and how large it may grow.
    public struct Configuration: Sendable {
        /// libpq connection string or URI.
        public var conninfo: String
        /// Upper bound on open connections (default 8).
        public var maximumConnections: Int
        /// Session settings for every connection.
        public var settings: [(String, String)]
        /// Longest wait for a free connection before `acquire` fails (`DatabaseError.Kind.poolTimeout`).
        public var acquireTimeout: Duration
        /// Told how long each successful acquire took (waiting in line and connecting), for metrics.
        public var acquired: (@Sendable (Duration) -> Void)?

        public init(
            conninfo: String, maximumConnections: Int = 8,
            settings: [(String, String)] = ConnectionPool.writerSettings,
            acquireTimeout: Duration = .seconds(30)
        ) {
            precondition(maximumConnections > 0, "a pool needs at least one connection")
            self.conninfo = conninfo
            self.maximumConnections = maximumConnections
            self.settings = settings
            self.acquireTimeout = acquireTimeout
        }
    }

    /// The pool's state at one moment (for metrics).
    public struct Statistics: Sendable, Equatable {
        /// The configured upper bound.
        public var size: Int
        /// Connections open (idle or lent out).
        public var open: Int
        /// Connections lent out now.
        public var inUse: Int
        /// Callers waiting for a connection.
        public var waiting: Int
    }

    /// Default session settings: UTC ISO timestamps, and a bound on idle transactions, since an
    /// open writing transaction holds every subscriber's horizon back (ARCHITECTURE.md).
    public static let writerSettings: [(String, String)] =
        PGConnection.defaultSettings + [("idle_in_transaction_session_timeout", "30s")]

    public let configuration: Configuration
    private var idle: [PGConnection] = []
    private var openCount = 0
    private var closed = false
    /// Callers waiting for a connection, oldest first, each with the timer that expires it.
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>, timer: Task<Void, Never>)] = []
    private var nextWaiter = 0

    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// Opens a pool for `body` and closes it on every path.
    public static func with<T: Sendable>(
        _ configuration: Configuration, _ body: (ConnectionPool) async throws -> T
    ) async throws -> T {
        try await ConnectionPool(configuration).closing(after: body)
    }

    /// Keeps the pool open until graceful shutdown (or cancellation), then closes it.
    public nonisolated func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled rather than shut down gracefully: close all the same.
        }
        await close()
    }

    /// The pool's state now.
    public var statistics: Statistics {
        Statistics(
            size: configuration.maximumConnections, open: openCount, inUse: openCount - idle.count,
            waiting: waiters.count)
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
            DatabaseAvailability.shared.failed(error, onConnectionOpenedAt: connection.openedAt)
            await release(connection, discard: DatabaseError.unwrap(error)?.spoilsSession == true)
            throw error
        }
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
        let started = ContinuousClock.now
        let connection = try await acquireUntimed()
        configuration.acquired?(ContinuousClock.now - started)
        return connection
    }

    private func acquireUntimed() async throws -> PGConnection {
        let deadline = ContinuousClock.now + configuration.acquireTimeout
        while true {
            if closed { throw DatabaseError(kind: .usage, message: "the connection pool is closed") }
            try Task.checkCancellation()
            if let connection = idle.popLast() { return connection }
            if openCount < configuration.maximumConnections {
                openCount += 1
                do {
                    let connection = try await PGConnection.connect(
                        configuration.conninfo, settings: configuration.settings, purpose: .pool)
                    DatabaseAvailability.shared.reachable()
                    return connection
                } catch {
                    DatabaseAvailability.shared.failed(error)
                    openCount -= 1
                    wakeOne()
                    throw error
                }
            }
            try await wait(until: deadline)
        }
    }

    /// Waits in line until woken, the deadline passes (poolTimeout) or the task is cancelled.
    private func wait(until deadline: ContinuousClock.Instant) async throws {
        nextWaiter += 1
        let id = nextWaiter
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                let timer = Task { [weak self] in
                    do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
                    await self?.fail(id, with: nil)
                }
                waiters.append((id, continuation, timer))
            }
        } onCancel: {
            Task { await self.fail(id, with: CancellationError()) }
        }
    }

    /// Removes waiter `id` from the line, failing it with `error` (nil: the acquire timeout).
    private func fail(_ id: Int, with error: (any Error)?) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.timer.cancel()
        waiter.continuation.resume(throwing: error ?? timeoutError())
    }

    private func timeoutError() -> DatabaseError {
        DatabaseError(
            kind: .poolTimeout,
            message: """
                no database connection became free within \(configuration.acquireTimeout): all \
                \(configuration.maximumConnections) connections of the pool are in use (\(waiters.count) other callers \
                waiting); raise the pool size (ConnectionPool.Configuration.maximumConnections) or find what holds \
                connections (a long transaction, a stuck request)
                """)
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
        guard !waiters.isEmpty else { return }
        let waiter = waiters.removeFirst()
        waiter.timer.cancel()
        waiter.continuation.resume()
    }

    /// Closes idle connections and refuses new work; connections in use close when returned.
    public func close() async {
        closed = true
        for connection in idle { await connection.close() }
        openCount -= idle.count
        idle.removeAll()
        for waiter in waiters {
            waiter.timer.cancel()
            waiter.continuation.resume()
        }
        waiters.removeAll()
    }
}
