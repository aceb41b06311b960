import EventStore
import Foundation
import TestSupport
import Testing

@Suite("libpq layer")
struct PGConnectionTests {
    @Test("parameters are bound, not spliced, and values round-trip by type")
    func bindingRoundTrip() async throws {
        let connection = try await PGConnection.connect(try await TestDatabase.emptyDatabase())
        let id = UUID()
        let date = Date(timeIntervalSince1970: 1_764_212_345.123456)
        let hostile = "x'); DROP TABLE pg_class; --"
        let row = try await connection.query(
            "SELECT $1::text, $2::bigint, $3::uuid, $4::timestamptz, $5::boolean, $6::text[], $7::text IS NULL",
            [hostile, Int64.max, id, date, true, PGTextArray(["a\"b", "c\\d", nil]), nil as String?]
        ).singleRow()
        #expect(try row.decode(String.self, 0) == hostile)
        #expect(try row.decode(Int64.self, 1) == Int64.max)
        #expect(try row.decode(UUID.self, 2) == id)
        let roundTripped = try row.decode(Date.self, 3)
        #expect(abs(roundTripped.timeIntervalSince(date)) < 0.000_001)
        #expect(try row.decode(Bool.self, 4))
        #expect(try row.decode(String.self, 5) == #"{"a\"b","c\\d",NULL}"#)
        #expect(try row.decode(Bool.self, 6))
        await connection.close()
    }

    @Test("errors carry the SQLSTATE and never echo parameters")
    func errorsAreRedacted() async throws {
        let connection = try await PGConnection.connect(try await TestDatabase.emptyDatabase())
        let secret = "4111-secret-value"
        let badInteger = await databaseError { try await connection.query("SELECT $1::integer", [secret]) }
        #expect(badInteger?.sqlState == "22P02")
        #expect(badInteger?.description.contains(secret) == false)
        try await connection.execute("CREATE TABLE t (k text PRIMARY KEY)")
        try await connection.query("INSERT INTO t VALUES ($1)", [secret])
        let duplicate = await databaseError { try await connection.query("INSERT INTO t VALUES ($1)", [secret]) }
        #expect(duplicate?.sqlState == DatabaseError.State.uniqueViolation)
        #expect(duplicate?.constraint == "t_pkey")
        #expect(duplicate?.description.contains(secret) == false)
        // The connection is still usable after errors.
        #expect(try await connection.query("SELECT 1").singleRow().decode(Int.self, 0) == 1)
        await connection.close()
    }

    @Test("a failing transaction body rolls back")
    func transactionRollsBack() async throws {
        let connection = try await PGConnection.connect(try await TestDatabase.emptyDatabase())
        try await connection.execute("CREATE TABLE t (n int)")
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await connection.transaction { connection in
                try connection.query("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        try await connection.transaction { connection in try connection.query("INSERT INTO t VALUES (2)") }
        let rows = try await connection.query("SELECT n FROM t").rows.map { try $0.decode(Int.self, 0) }
        #expect(rows == [2])
        #expect(await connection.isIdle)
        await connection.close()
    }

    @Test("LISTEN/NOTIFY delivers notifications, and a wait without one times out")
    func listenNotify() async throws {
        let conninfo = try await TestDatabase.emptyDatabase()
        let listener = try await PGConnection.connect(conninfo)
        let sender = try await PGConnection.connect(conninfo)
        try await listener.listen("ledger_test")
        #expect(try await listener.waitForNotifications(timeout: .milliseconds(50)).isEmpty)
        try await sender.query("SELECT pg_notify($1, $2)", ["ledger_test", "hello"])
        var received: [PGNotification] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while received.isEmpty && ContinuousClock.now < deadline {
            received = try await listener.waitForNotifications(timeout: .seconds(1))
        }
        #expect(received.map(\.payload) == ["hello"])
        #expect(received.first?.senderProcessID == (await sender.backendProcessID))
        await listener.close()
        await sender.close()
    }

    @Test("COPY FROM STDIN loads rows")
    func copyIn() async throws {
        let connection = try await PGConnection.connect(try await TestDatabase.emptyDatabase())
        try await connection.execute("CREATE TABLE t (n int, s text)")
        let copied = try await connection.copyIn(
            "COPY t (n, s) FROM STDIN", chunks: (1...1000).lazy.map { "\($0)\tv\($0)\n" })
        #expect(copied == 1000)
        let sum = try await connection.query("SELECT sum(n) FROM t").singleRow().decode(Int64.self, 0)
        #expect(sum == 500_500)
        await connection.close()
    }

    @Test("blocking calls run on each connection's own thread, not the cooperative pool")
    func blockingCallsRunInParallel() async throws {
        let conninfo = try await TestDatabase.emptyDatabase()
        var connections: [PGConnection] = []
        for _ in 0..<8 { connections.append(try await PGConnection.connect(conninfo)) }
        let observer = try await PGConnection.connect(conninfo)
        let sleepers = connections
        let sleeping = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for connection in sleepers { group.addTask { try await connection.query("SELECT pg_sleep(3)") } }
                try await group.waitForAll()
            }
        }
        // Eight calls block in libpq at once. If they blocked Swift's cooperative pool (two
        // threads here), at most two could be in flight and this observer could not run until
        // they ended; with a thread per connection it sees all eight sleeping.
        let allEightAtOnce = try await eventually(within: .seconds(3)) {
            try await observer.query(
                """
                SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(3)'
                   AND datname = current_database()
                """
            ).singleRow().decode(Int.self, 0) == 8
        }
        #expect(allEightAtOnce)
        try await sleeping.value
        for connection in connections + [observer] { await connection.close() }
    }

    @Test("the pool never opens more than its limit and serves every caller")
    func poolLimit() async throws {
        let conninfo = try await TestDatabase.emptyDatabase()
        let pool = ConnectionPool(.init(conninfo: conninfo, maximumConnections: 3))
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    try await pool.withConnection { connection in
                        try await connection.query("SELECT pg_sleep(0.05)")
                        return await connection.backendProcessID
                    }
                }
            }
            return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
        }
        #expect(pids.count <= 3)
        #expect(pids.count >= 1)
        await pool.close()
    }

    @Test("a connection string can be pointed at another database")
    func rewriteConninfo() throws {
        let rewritten = ConnectionString.replacingDatabase(
            in: "postgresql://alice@localhost:5433/first?sslmode=disable", with: "second")
        #expect(rewritten?.contains("dbname='second'") == true)
        #expect(rewritten?.contains("port='5433'") == true)
        #expect(rewritten?.contains("user='alice'") == true)
        #expect(ConnectionString.replacingDatabase(in: "host=a bad='", with: "x") == nil)
    }
}
