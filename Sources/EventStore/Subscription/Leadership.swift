import Synchronization

/// Leadership of one subscriber among processes: a session advisory lock held on a dedicated
/// connection. Any number of processes may try; one holds the lock until it releases it or its
/// connection closes (the process died, the server restarted), and then another takes over.
/// The subscriber does its work on `connection`, so work and lock go together.
public final class Leadership: Sendable {
    public let lock: AdvisoryLock
    /// The connection holding (or trying for) the lock.
    public let connection: PGConnection
    private let held = Mutex(false)

    private init(lock: AdvisoryLock, connection: PGConnection) {
        self.lock = lock
        self.connection = connection
    }

    /// Opens the dedicated connection (not leading yet: call `acquire()`).
    public static func open(_ conninfo: String, lock: AdvisoryLock) async throws -> Leadership {
        Leadership(lock: lock, connection: try await PGConnection.connect(conninfo, purpose: .leadership))
    }

    /// Opens a leadership connection for `body` and closes it (releasing the lock) on every path.
    public static func with<T: Sendable>(
        _ conninfo: String, lock: AdvisoryLock, _ body: (Leadership) async throws -> T
    ) async throws -> T {
        try await open(conninfo, lock: lock).closing(after: body)
    }

    /// Whether this session believes it holds the lock.
    public var isLeading: Bool { held.withLock { $0 } }

    /// Takes the lock if it is free (the lock is taken once and held until released or the
    /// connection closes); answers whether this session leads. Throws `LeadershipError.lost` when
    /// it led and the connection is gone, since the lock went with it.
    public func acquire() async throws -> Bool {
        if isLeading {
            if await connection.isHealthy { return true }
            held.withLock { $0 = false }
            throw LeadershipError.lost(lock)
        }
        let acquired = try await connection.advisoryLock(lock, .tryLock)
        held.withLock { $0 = acquired }
        return acquired
    }

    /// Gives the lock up (the connection stays open).
    public func release() async throws {
        guard isLeading else { return }
        held.withLock { $0 = false }
        try await connection.advisoryLock(lock, .unlock)
    }

    /// Closes the connection, which frees the lock.
    public func close() async {
        held.withLock { $0 = false }
        await connection.close()
    }
}

/// A leadership that ended without being given up.
public enum LeadershipError: Error, Sendable, CustomStringConvertible {
    case lost(AdvisoryLock)

    public var description: String {
        switch self {
        case .lost(let lock): "lost leadership (advisory lock \(lock.namespace) \(lock.key)): its connection closed"
        }
    }
}
