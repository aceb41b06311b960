import Foundation
import Projections
import Synchronization
import TestSupport
import Testing

@testable import Commands
@testable import Domain
@testable import EventStore

@Suite("live projections")
struct LiveProjectionTests {
    /// The event store's race, through a real projection: writers commit out of position order
    /// (held open a random few ms, some rolled back) while a live coupon_balance worker runs; each
    /// company's final balance must equal the events committed on its stream.
    @Test("a live worker keeps up while writers commit out of position order", arguments: [UInt64(99)])
    func raceThroughProjection(seed: UInt64) async throws {
        // Eight pool connections: the writers block their threads (usleep inside a transaction),
        // and on a loaded 2-core machine four were seen to starve past the pool's 30 s timeout.
        let test = try await TestDatabase.freshStore(maximumConnections: 8)
        var configuration = ProjectionWorker.Configuration()
        configuration.pollInterval = .milliseconds(50)
        let worker = ProjectionWorker(
            projection: CouponBalanceProjection(), store: test.store, conninfo: test.conninfo,
            configuration: configuration)
        let live = Task { await worker.run() }
        struct Rollback: Error {}
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var random = SplitMix64(seed: seed &+ UInt64(writer))
                    let connection = try await test.connect()
                    for _ in 0..<60 {
                        let company = "company-\(String(format: "%010d", writer * 10 + Int(random.next() % 3)))"
                        let delay = UInt32(random.next() % 3000)
                        let rollback = random.next() % 8 == 0
                        // The balance after is the stream's next version: each event adds one coupon.
                        let version = try await test.store.version(of: StreamName(company)!)
                        let adjusted = CouponsAdjustedByChamber(
                            adjustmentId: UUID(), delta: SignedCount(exactly: 1)!, staffId: try StaffId(parsing: "s"),
                            chamberId: try ChamberId(parsing: "k"), reason: "race",
                            balanceAfter: Count(exactly: version + 1)!)
                        let pending = PendingEvent(adjusted)
                        let (command, streams, events) = try PostgresEventStore.encode(
                            [
                                StreamAppend(
                                    stream: StreamName(company)!, expected: .exact(version),
                                    events: [NewEvent(eventType: pending.eventType, data: pending.data)])
                            ],
                            command: nil)
                        do {
                            try await connection.transaction { connection in
                                let answer = try connection.query(Statements.append, [command, streams, events])
                                guard try answer.singleRow().decode(String.self, 0) == "appended" else {
                                    throw Rollback()
                                }
                                usleep(delay)
                                if rollback { throw Rollback() }
                            }
                        } catch is Rollback {}
                    }
                    await connection.close()
                }
            }
            try await group.waitForAll()
        }
        let connection = try await test.connect()
        let expected = try await connection.query(
            """
            SELECT split_part(stream_id, '-', 2), count(*)::int FROM ledger.events GROUP BY 1 ORDER BY 1
            """
        ).rows.map { (try $0.decode(String.self, 0), try $0.decode(Int.self, 1)) }
        #expect(expected.count > 10)
        let caughtUp = try await eventually {
            let rows = try await connection.query(
                "SELECT trade_reg_no, available FROM projections.coupon_balance ORDER BY 1"
            ).rows
                .map { (try $0.decode(String.self, 0), try $0.decode(Int.self, 1)) }
            return rows.map(\.0) == expected.map(\.0) && rows.map(\.1) == expected.map(\.1)
        }
        live.cancel()
        await live.value
        #expect(caughtUp, "the live balances equal the committed events per company")
        await connection.close()
    }

    @Test("a reader polling during a rebuild never sees an empty or partial table")
    func readersDuringRebuild() async throws {
        let test = try await TestDatabase.freshStore()
        let staff = #"{"kind":"chamberStaff","id":"s1","chamberId":"kamikochi"}"#
        let handler = CommandHandler(store: test.store)
        for n in 0..<200 {
            _ = await handler.execute(
                line: Data(
                    #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"\#(String(format: "%010d", 7_000_000 + n))","companyName":"c\#(n)","chamberId":"kamikochi","membership":"member","paymentMethods":[]}"#
                        .utf8))
        }
        let projection = CouponBalanceProjection()
        _ = try await ProjectionWorker(projection: projection, store: test.store, conninfo: test.conninfo).catchUp()
        let seen = Mutex<Set<Int>>([])
        let reader = Task {
            let connection = try await test.connect()
            while !Task.isCancelled {
                let count = try await connection.query("SELECT count(*) FROM projections.coupon_balance").singleRow()
                    .decode(Int.self, 0)
                seen.withLock { _ = $0.insert(count) }
            }
            await connection.close()
        }
        // A live worker runs meanwhile (as under ledger serve): the rebuild must still switch.
        let live = Task {
            await ProjectionWorker(projection: projection, store: test.store, conninfo: test.conninfo).run()
        }
        for _ in 0..<3 {
            _ = try await ProjectionRebuild(projection: projection, store: test.store, conninfo: test.conninfo).run()
        }
        _ = await handler.execute(
            line: Data(
                #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"0007999999","companyName":"late","chamberId":"kamikochi","membership":"member","paymentMethods":[]}"#
                    .utf8))
        let connection = try await test.connect()
        let liveCaughtUp = try await eventually(within: .seconds(20)) {
            try await connection.query("SELECT count(*) FROM projections.coupon_balance").singleRow().decode(
                Int.self, 0) == 201
        }
        await connection.close()
        live.cancel()
        await live.value
        #expect(liveCaughtUp, "the live worker carries on after the switches")
        reader.cancel()
        _ = try? await reader.value
        #expect(seen.withLock { $0 }.isSubset(of: [200, 201]), "counts seen while rebuilding: \(seen.withLock { $0 })")
    }
}
