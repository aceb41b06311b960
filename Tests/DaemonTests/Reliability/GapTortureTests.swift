import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Commands
@testable import Domain
@testable import EventStore

/// Issue #8 item 1: gap torture through `ledger serve`. Eight writers append with their commits
/// delayed at random after the insert (one in eight rolled back), one transaction stays idle for
/// several poll intervals with an early transaction id, and HTTP clients send commands through
/// serve meanwhile; serve's live projection must converge to exactly what was committed.
@Suite("Reliability: gap torture through ledger serve")
struct GapTortureTests {
    struct Rollback: Error {}
    final class Flag: Sendable { let value = Atomic<Bool>(false) }

    /// Appends one CouponsAdjustedByChamber (+1) to `company` in a transaction that waits `hold`
    /// (µs) after the insert, then commits, or rolls back. Returns whether it committed.
    static func append(
        _ store: PostgresEventStore, _ connection: PGConnection, company: String,
        hold: @escaping @Sendable () -> Void, rollback: Bool
    ) async throws -> Bool {
        let stream = StreamName(company)!
        let version = try await store.version(of: stream)
        let adjusted = CouponsAdjustedByChamber(
            adjustmentId: UUID(), delta: SignedCount(exactly: 1)!, staffId: try StaffId(parsing: "s"),
            chamberId: try ChamberId(parsing: "kamikochi"), reason: "gap torture",
            balanceAfter: Count(exactly: version + 1)!)
        let pending = PendingEvent(adjusted)
        let (command, streams, events) = try PostgresEventStore.encode(
            [
                StreamAppend(
                    stream: stream, expected: .exact(version),
                    events: [NewEvent(eventType: pending.eventType, data: pending.data)])
            ], command: nil)
        do {
            try await connection.transaction { connection in
                let answer = try connection.query(Statements.append, [command, streams, events])
                guard try answer.singleRow().decode(String.self, 0) == "appended" else { throw Rollback() }
                hold()
                if rollback { throw Rollback() }
            }
            return true
        } catch is Rollback {
            return false
        }
    }

    @Test(
        "8 delayed/rolled-back writers, an idle transaction beyond the poll interval, HTTP commands: serve converges",
        arguments: [UInt64(0x8_0001)])
    func gapTorture(seed: UInt64) async throws {
        let perWriter = Reliability.scale(40, long: 400)
        print("gap torture: seed \(seed), 8 writers × \(perWriter) appends")
        let test = try await TestDatabase.freshStore()
        let (serve, port) = try await ServeTests().start(test.conninfo)
        defer {
            serve.kill(SIGKILL)
            _ = serve.wait()
        }
        #expect(await Reliability.post(port, Reliability.register()).status == 200)
        let writersDone = Flag()
        let started = ContinuousClock.now

        // The idle transaction: takes its id first, then, once the monitor below has seen it idle,
        // sits idle for 3 poll intervals more (serve polls every 500 ms) while the writers run. A
        // fixed span, not "until the writers are done": it holds the cluster-wide horizon, which
        // other tests' `project --once` wait for. (A span from its own start was missed under load:
        // the monitor looked only after it had ended.)
        let idleConnection = try await test.connect()
        let idleSeen = Flag()
        let idle = Task {
            try await Self.append(
                test.store, idleConnection, company: "company-0000000999",
                hold: {
                    let unseenUntil = ContinuousClock.now + .seconds(20)
                    while !idleSeen.value.load(ordering: .relaxed) && ContinuousClock.now < unseenUntil {
                        usleep(5_000)
                    }
                    let until = ContinuousClock.now + .milliseconds(1_500)
                    while ContinuousClock.now < until { usleep(5_000) }
                }, rollback: false)
        }
        let idlePid = await idleConnection.backendProcessID
        let monitor = try await test.connect()
        let held = try await eventually(within: .seconds(20)) {
            let rows = try await monitor.query(
                "SELECT state = 'idle in transaction' FROM pg_stat_activity WHERE pid = $1", [Int64(idlePid)]
            ).rows
            guard let row = rows.first else { return false }
            return try row.decode(Bool.self, 0)
        }
        idleSeen.value.store(true, ordering: .relaxed)
        #expect(held, "the idle transaction holds its early id before the writers start")
        await monitor.close()
        // HTTP commands through serve meanwhile: each acknowledged delta must reach the balance.
        let http = Task {
            var random = SplitMix64(seed: seed &+ 100)
            var sum = 0
            while !writersDone.value.load(ordering: .relaxed) {
                let delta = Int(1 + random.next() % 3)
                let reply = await Reliability.post(port, Reliability.adjust(id: UUID(), delta: delta))
                if reply.status == 200 { sum += delta }
            }
            return sum
        }
        let committed = try await withThrowingTaskGroup(of: Int.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var random = SplitMix64(seed: seed &+ UInt64(writer))
                    let connection = try await test.connect()
                    defer { Task { await connection.close() } }
                    var committed = 0
                    for _ in 0..<perWriter {
                        let company = "company-" + String(format: "%010d", writer * 10 + Int(random.next() % 3))
                        let delay = UInt32(random.next() % 3_000)
                        if try await Self.append(
                            test.store, connection, company: company, hold: { usleep(delay) },
                            rollback: random.next() % 8 == 0)
                        {
                            committed += 1
                        }
                    }
                    return committed
                }
            }
            return try await group.reduce(0, +)
        }
        writersDone.value.store(true, ordering: .relaxed)
        #expect(try await idle.value, "the idle transaction committed")
        await idleConnection.close()
        let httpSum = await http.value

        // Expected: each raw stream's balance is its committed event count; the HTTP company's is
        // the sum of acknowledged deltas. (serve's scheduler records its periods on schedule-…
        // streams, which are not counted.)
        let connection = try await test.connect()
        defer { Task { await connection.close() } }
        var expected: [String: Int] = [:]
        for row in try await connection.query(
            """
            SELECT split_part(stream_id, '-', 2), count(*)::int FROM ledger.events
             WHERE stream_id LIKE 'company-%' AND stream_id <> 'company-8888000004' GROUP BY 1
            """
        ).rows {
            expected[try row.decode(String.self, 0)] = try row.decode(Int.self, 1)
        }
        let stored = expected.values.reduce(0, +)
        #expect(stored == committed + 1, "the store holds the committed appends, no rolled-back one")
        #expect(expected["0000000999"] == 1)
        expected["8888000004"] = httpSum
        var last: [String: Int] = [:]
        let converged = try await eventually(within: .seconds(60)) {
            var balances: [String: Int] = [:]
            for row in try await connection.query("SELECT trade_reg_no, available FROM projections.coupon_balance").rows
            {
                balances[try row.decode(String.self, 0)] = try row.decode(Int.self, 1)
            }
            last = balances
            return balances == expected
        }
        #expect(converged, "serve's read model \(last) ≠ committed \(expected)")
        print(
            "gap torture: \(committed) appends committed by 8 writers (+1 idle for 1.5 s; run \(ContinuousClock.now - started)), "
                + "HTTP sum \(httpSum); serve's coupon_balance equals the committed events")
    }
}
