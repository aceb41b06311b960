import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Commands
@testable import Domain
@testable import EventStore
@testable import Projections

/// A projection that counts events per stream and fails on any event whose data has `"poison": true`.
struct CountingProjection: Projection {
    var name = "test_counts"
    var eventTypes = ["Counted"]
    var tables = ["test_counts"]

    func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        for event in events where event.data.contains("\"poison\": true") {
            throw DatabaseError(kind: .usage, message: "poisoned event \(event.globalPosition)")
        }
        var counts: [String: Int] = [:]
        for event in events { counts[event.stream.rawValue, default: 0] += 1 }
        for (stream, count) in counts {
            try connection.query(
                """
                INSERT INTO projections.test_counts (stream, n) VALUES ($1, $2)
                ON CONFLICT (stream) DO UPDATE SET n = test_counts.n + EXCLUDED.n
                """, [stream, count])
        }
    }
}

func makeCountsTable(_ test: TestStore) async throws {
    let connection = try await test.connect()
    try await connection.execute("CREATE TABLE projections.test_counts (stream text PRIMARY KEY, n integer NOT NULL)")
    await connection.close()
}

func counts(_ test: TestStore) async throws -> [String: Int] {
    let connection = try await test.connect()
    defer { Task { await connection.close() } }
    var result: [String: Int] = [:]
    for row in try await connection.query("SELECT stream, n FROM projections.test_counts").rows {
        result[try row.decode(String.self, 0)] = try row.decode(Int.self, 1)
    }
    return result
}

@Suite("projection runtime")
struct ProjectionRuntimeTests {
    @Test("coupon_balance follows the company stream; a second catch-up applies nothing")
    func couponBalance() async throws {
        let test = try await TestDatabase.freshStore()
        let handler = CommandHandler(store: test.store, clockMode: .input)
        let staff = #"{"kind":"chamberStaff","id":"s1","chamberId":"kamikochi"}"#
        for line in [
            #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(staff),"at":"2026-04-01T09:00:00+09:00","tradeRegNo":"8888000004","companyName":"日商テスト商事株式会社","chamberId":"kamikochi","membership":"member","paymentMethods":["card","bankTransfer"]}"#,
            #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(staff),"at":"2026-04-01T09:58:00+09:00","tradeRegNo":"8888000004","delta":6,"reason":"r"}"#,
            #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(staff),"at":"2026-04-01T09:59:00+09:00","tradeRegNo":"8888000004","delta":-2,"reason":"r"}"#,
        ] {
            let outcome = await handler.execute(line: Data(line.utf8))
            #expect(outcome.status == .ok, "\(outcome.jsonLine)")
        }
        let worker = ProjectionWorker(projection: CouponBalanceProjection(), store: test.store, conninfo: test.conninfo)
        #expect(try await worker.catchUp() == 5)
        #expect(try await worker.catchUp() == 0)
        let connection = try await test.connect()
        let row = try await connection.query(
            """
            SELECT available, pending_purchase, company_name, membership, allowed_methods::text
              FROM projections.coupon_balance WHERE trade_reg_no = '8888000004'
            """
        ).singleRow()
        #expect(try row.decode(Int.self, 0) == 4)
        #expect(try row.decode(Int.self, 1) == 0)
        #expect(try row.decode(String.self, 2) == "日商テスト商事株式会社")
        #expect(try row.decode(String.self, 3) == "member")
        #expect(try row.decode(String.self, 4) == "{bankTransfer,card}")
        await connection.close()
    }

    @Test("two workers at once while events stream in: each event applied exactly once")
    func twoWorkersExactlyOnce() async throws {
        let test = try await TestDatabase.freshStore()
        try await makeCountsTable(test)
        var configuration = ProjectionWorker.Configuration()
        configuration.batchSize = 7
        configuration.pollInterval = .milliseconds(50)
        let workers = (0..<2).map { _ in
            ProjectionWorker(
                projection: CountingProjection(), store: test.store, conninfo: test.conninfo,
                configuration: configuration)
        }
        let running = workers.map { worker in Task { await worker.run() } }
        for n in 0..<300 {
            try await test.store.append(
                [NewEvent(eventType: "Counted", data: "{\"n\":\(n)}")],
                to: StreamName("counted-\(n % 5)")!, expected: .any)
        }
        let caughtUp = try await eventually { try await counts(test).values.reduce(0, +) >= 300 }
        for task in running { task.cancel() }
        for task in running { await task.value }
        #expect(caughtUp)
        #expect(try await counts(test) == Dictionary(uniqueKeysWithValues: (0..<5).map { ("counted-\($0)", 60) }))
        let connection = try await test.connect()
        let applied = try await connection.query(
            "SELECT events_applied FROM ledger.projection_checkpoints WHERE projection = 'test_counts'"
        ).singleRow().decode(Int.self, 0)
        #expect(applied == 300)
        await connection.close()
    }

    @Test("a failing event stops its projection before it, is recorded, and leaves others running")
    func failureIsolation() async throws {
        let test = try await TestDatabase.freshStore()
        try await makeCountsTable(test)
        for n in 0..<10 {
            let data = n == 6 ? "{\"n\":6,\"poison\":true}" : "{\"n\":\(n)}"
            try await test.store.append(
                [NewEvent(eventType: "Counted", data: data)], to: StreamName("counted-1")!,
                expected: .any)
        }
        try await test.store.append(
            [NewEvent(eventType: CouponsAdjustedByChamber.eventType, data: "{}")],
            to: StreamName("other-1")!, expected: .any)
        let failing = ProjectionWorker(projection: CountingProjection(), store: test.store, conninfo: test.conninfo)
        let poisonPosition = try await test.store.read(stream: StreamName("counted-1")!)[6].globalPosition
        await #expect(throws: ProjectionError.self) { try await failing.catchUp() }
        #expect(try await counts(test)["counted-1"] == 6, "the six events before the poison are applied")
        let connection = try await test.connect()
        let statuses = try await ProjectionStatus.all(connection)
        let row = try await connection.query(
            """
            SELECT failing, error_position, error_message, attempts FROM ledger.projection_checkpoints
             WHERE projection = 'test_counts'
            """
        ).singleRow()
        #expect(try row.decode(Bool.self, 0))
        #expect(try row.decode(Int64.self, 1) == poisonPosition)
        #expect(try row.decode(String.self, 2).contains("poisoned"))
        #expect(try row.decode(Int.self, 3) == 1)
        await connection.close()
        // The catalog's projections are untouched by this one's failure.
        #expect(statuses.allSatisfy { !$0.failing })
    }
}

@Suite("projection rebuild")
struct ProjectionRebuildTests {
    @Test("a rebuild replaces the live rows from position zero and moves the checkpoint in one switch")
    func rebuild() async throws {
        let test = try await TestDatabase.freshStore()
        let handler = CommandHandler(store: test.store, clockMode: .input)
        let staff = #"{"kind":"chamberStaff","id":"s1","chamberId":"kamikochi"}"#
        _ = await handler.execute(
            line: Data(
                #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(staff),"at":"2026-04-01T09:00:00+09:00","tradeRegNo":"8888000004","companyName":"x","chamberId":"kamikochi","membership":"member","paymentMethods":[]}"#
                    .utf8))
        for delta in [5, -2, 3] {
            _ = await handler.execute(
                line: Data(
                    #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(staff),"at":"2026-04-01T10:00:00+09:00","tradeRegNo":"8888000004","delta":\#(delta),"reason":"r"}"#
                        .utf8))
        }
        let projection = CouponBalanceProjection()
        _ = try await ProjectionWorker(projection: projection, store: test.store, conninfo: test.conninfo).catchUp()
        let connection = try await test.connect()
        // Damage the live model, as a bug in an old projection version would.
        try await connection.execute("UPDATE projections.coupon_balance SET available = 999")
        let progress = Mutex<[Int]>([])
        let applied = try await ProjectionRebuild(
            projection: projection, store: test.store, conninfo: test.conninfo,
            progress: { done, _ in progress.withLock { $0.append(done) } }
        ).run()
        #expect(applied == 6)
        #expect(!progress.withLock { $0 }.isEmpty, "progress is reported")
        #expect(
            try await connection.query("SELECT available FROM projections.coupon_balance").singleRow()
                .decode(Int.self, 0) == 6)
        let checkpoints = try await connection.query(
            "SELECT projection, events_applied FROM ledger.projection_checkpoints WHERE projection LIKE 'coupon_balance%'"
        )
        #expect(checkpoints.rowCount == 1, "the shadow checkpoint is gone")
        #expect(try checkpoints.singleRow().decode(Int.self, 1) == 6)
        let leftovers = try await connection.query(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'projections_rebuild'"
        ).singleRow().decode(Int.self, 0)
        #expect(leftovers == 0)
        // The live worker carries on from the switched checkpoint.
        _ = await handler.execute(
            line: Data(
                #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(staff),"at":"2026-04-01T11:00:00+09:00","tradeRegNo":"8888000004","delta":1,"reason":"r"}"#
                    .utf8))
        #expect(
            try await ProjectionWorker(projection: projection, store: test.store, conninfo: test.conninfo).catchUp()
                == 1)
        #expect(
            try await connection.query("SELECT available FROM projections.coupon_balance").singleRow()
                .decode(Int.self, 0) == 7)
        await connection.close()
    }
}
