import Foundation
import TestSupport
import Testing

@testable import EventStore

/// The pool's bounds: an acquire timeout with a clear error, cancellable waiters, and the
/// process-wide count of open connections by purpose.
@Suite("connection pool and accounting")
struct ConnectionPoolTests {
    /// Lends the pool's connection to a task until `release` is called.
    struct Holder {
        let task: Task<Void, any Error>
        let release: @Sendable () -> Void

        init(_ pool: ConnectionPool) {
            let (stream, continuation) = AsyncStream<Void>.makeStream()
            task = Task {
                try await pool.withConnection { _ in
                    for await _ in stream { break }
                }
            }
            release = { continuation.finish() }
        }
    }

    @Test("a caller waiting longer than the acquire timeout gets a poolTimeout error naming the size and the wait")
    func acquireTimeout() async throws {
        let conninfo = try await TestDatabase.migratedDatabase()
        let pool = ConnectionPool(.init(conninfo: conninfo, maximumConnections: 1, acquireTimeout: .milliseconds(200)))
        let holder = Holder(pool)
        #expect(try await eventually(within: .seconds(10)) { await pool.statistics.inUse == 1 })
        let started = ContinuousClock.now
        let error = await databaseError { _ = try await pool.withConnection { _ in 1 } }
        let waited = ContinuousClock.now - started
        #expect(error?.kind == .poolTimeout)
        #expect(
            error?.message.contains("all 1 connections of the pool are in use") == true, "\(String(describing: error))")
        #expect(error?.message.contains("0.2 seconds") == true, "\(String(describing: error))")
        #expect(error?.message.contains("raise the pool size") == true)
        #expect(waited >= .milliseconds(200))
        #expect(await pool.statistics.waiting == 0, "the timed-out caller left the line")
        holder.release()
        try await holder.task.value
        #expect(try await pool.withConnection { _ in 2 } == 2, "the pool still lends once the connection is back")
        await pool.close()
    }

    @Test("a cancelled waiter leaves the line at once and throws CancellationError")
    func cancelledWaiter() async throws {
        let conninfo = try await TestDatabase.migratedDatabase()
        let pool = ConnectionPool(.init(conninfo: conninfo, maximumConnections: 1, acquireTimeout: .seconds(120)))
        let holder = Holder(pool)
        #expect(try await eventually(within: .seconds(10)) { await pool.statistics.inUse == 1 })
        let waiter = Task { try await pool.withConnection { _ in 1 } }
        #expect(try await eventually(within: .seconds(10)) { await pool.statistics.waiting == 1 })
        waiter.cancel()
        let outcome = await waiter.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(await pool.statistics.waiting == 0)
        holder.release()
        try await holder.task.value
        #expect(try await pool.withConnection { _ in 2 } == 2)
        #expect(await pool.statistics == .init(size: 1, open: 1, inUse: 0, waiting: 0))
        await pool.close()
        #expect(await pool.statistics.open == 0)
    }

    @Test("a scoped connection is counted while open and uncounted after, on every path")
    func accountingReturnsToZero() async throws {
        let conninfo = try await TestDatabase.migratedDatabase()
        // `migrate` is opened by no other code in the test process, so the count is this test's.
        let before = ConnectionRegistry.shared.count(.migrate)
        let inside = try await PGConnection.withConnection(conninfo, purpose: .migrate) { connection in
            #expect(connection.purpose == .migrate)
            return ConnectionRegistry.shared.count(.migrate)
        }
        #expect(inside == before + 1)
        #expect(ConnectionRegistry.shared.count(.migrate) == before)
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await PGConnection.withConnection(conninfo, purpose: .migrate) { _ in throw Refused() }
        }
        #expect(ConnectionRegistry.shared.count(.migrate) == before, "closed on the throwing path too")
        let explicit = try await PGConnection.connect(conninfo, purpose: .migrate)
        #expect(ConnectionRegistry.shared.count(.migrate) == before + 1)
        await explicit.close()
        await explicit.close()
        #expect(ConnectionRegistry.shared.count(.migrate) == before, "closing twice counts once")
        #expect(ConnectionRegistry.shared.snapshot.keys.count == ConnectionPurpose.allCases.count)
    }

    @Test("leadership: one holder at a time, handed over on close, and lost when its connection dies")
    func leadership() async throws {
        let conninfo = try await TestDatabase.migratedDatabase()
        let lock = AdvisoryLock.projectionLeadership("leadership-test-\(UUID())")
        let first = try await Leadership.open(conninfo, lock: lock)
        let second = try await Leadership.open(conninfo, lock: lock)
        #expect(try await first.acquire())
        #expect(try await first.acquire(), "held, not re-taken")
        #expect(try await !second.acquire())
        try await first.release()
        #expect(try await second.acquire())
        #expect(try await !first.acquire())
        // The server ends the leader's session: the lock is gone, and so is the leadership.
        let pid = await second.connection.backendProcessID
        try await PGConnection.withConnection(conninfo, purpose: .other) { admin in
            _ = try await admin.query("SELECT pg_terminate_backend($1)", [pid])
        }
        #expect(
            try await eventually(within: .seconds(10)) {
                do {
                    _ = try await second.connection.query("SELECT 1")
                    return false
                } catch {
                    return true
                }
            })
        await #expect(throws: LeadershipError.self) { _ = try await second.acquire() }
        #expect(try await first.acquire(), "the lock was freed with the session")
        await first.close()
        await second.close()
    }
}
