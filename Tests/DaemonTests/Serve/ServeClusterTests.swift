import Commands
import EventStore
import Foundation
import TestSupport
import Testing

/// Two `ledger serve` processes on one database: leadership, hand-over, and the scheduler on an
/// injected clock.
@Suite("two daemons")
struct ServeClusterTests {
    static let staff = #"{"kind":"chamberStaff","id":"s1","chamberId":"kamikochi"}"#

    func user(_ tradeRegNo: String) -> String {
        #"{"kind":"companyUser","id":"u\#(tradeRegNo.suffix(2))","tradeRegNo":"\#(tradeRegNo)"}"#
    }

    func post(_ port: Int, _ body: String) async throws -> ServeTests.Reply {
        try await ServeTests().call(port, "POST", "/v1/commands", body: body)
    }

    func count(_ test: TestStore, _ type: String) async throws -> Int {
        let connection = try await test.connect()
        defer { Task { await connection.close() } }
        return try await connection.query("SELECT count(*) FROM ledger.events WHERE event_type = $1", [type])
            .singleRow().decode(Int.self, 0)
    }

    @Test("killing the leader hands the projections and the journal to the other daemon; each event applied once")
    func handOver() async throws {
        let test = try await TestDatabase.freshStore()
        let (a, portA) = try await ServeTests().start(test.conninfo)
        let (b, portB) = try await ServeTests().start(test.conninfo)
        let register =
            #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(Self.staff),"tradeRegNo":"8888000004","companyName":"x","chamberId":"kamikochi","membership":"member","paymentMethods":[]}"#
        #expect(try await post(portA, register).status == 200)
        for _ in 0..<5 {
            _ = try await post(
                portA,
                #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(Self.staff),"tradeRegNo":"8888000004","delta":1,"reason":"r"}"#
            )
        }
        a.kill(SIGKILL)
        _ = await a.wait(within: .seconds(60))
        var last: Int64 = 0
        for _ in 0..<5 {
            let reply = try await post(
                portB,
                #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(Self.staff),"tradeRegNo":"8888000004","delta":1,"reason":"r"}"#
            )
            if case .int(let position) = reply.json?["position"] ?? .null { last = position }
        }
        let balance = try await ServeTests().call(
            portB, "GET", "/v1/companies/8888000004/coupon-balance?atLeastPosition=\(last)")
        #expect(
            balance.status == 200, "the surviving daemon took over within the read-your-writes limit: \(balance.body)")
        #expect(balance.json?["available"] == 10)
        b.kill(SIGTERM)
        #expect(await b.wait(within: .seconds(60)).status == 0)
        #expect(try await LedgerExecutable.run(["project", "--once", "--database-url", test.conninfo]).status == 0)
        let connection = try await test.connect()
        let applied = try await connection.query(
            "SELECT events_applied FROM ledger.projection_checkpoints WHERE projection = 'coupon_balance'"
        )
        .singleRow().decode(Int.self, 0)
        #expect(applied == 13, "3 registration events and 10 adjustments, each applied once")
        await connection.close()
        #expect(
            try await LedgerExecutable.run(["verify", "--database-url", test.conninfo]).status == 0,
            "the journal is dense")
    }

    @Test("on an injected clock, two daemons time out a card attempt and expire a bank order exactly once")
    func sweeperExactlyOnce() async throws {
        let test = try await TestDatabase.freshStore()
        let clock = try LedgerExecutable.writeLines(["2026-04-06T10:00:00+09:00"])
        func setClock(_ time: String) throws {
            try (time + "\n").write(toFile: clock, atomically: true, encoding: .utf8)
        }
        let extra = ["--clock-file", clock, "--scheduler-interval-ms", "100"]
        let (a, portA) = try await ServeTests().start(test.conninfo, extra: extra)
        let (b, _) = try await ServeTests().start(test.conninfo, extra: extra)
        let setup =
            [
                #"{"command":"PublishTariff","commandId":"\#(UUID())","actor":\#(Self.staff),"chamberId":"kamikochi","effectiveFrom":"2026-04-01","applicationFeeYen":{"member":1210,"nonMember":3630},"couponProducts":[{"productCode":"M1","label":"1枚","membership":"member","packSize":1,"priceYen":1210,"faceValueYen":1210}]}"#,
                #"{"command":"LoadVirtualAccounts","commandId":"\#(UUID())","actor":\#(Self.staff),"accounts":[{"bankCode":"0310","bankName":"b","branchCode":"502","branchName":"br","accountType":"ordinary","accountNumber":"6818564","accountHolder":"h"}]}"#,
            ]
            + ["8888000001", "8888000002"].map {
                #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(Self.staff),"tradeRegNo":"\#($0)","companyName":"x","chamberId":"kamikochi","membership":"member","paymentMethods":["card","bankTransfer"]}"#
            } + [
                #"{"command":"PlaceCouponOrder","commandId":"\#(UUID())","actor":\#(user("8888000001")),"paymentMethod":"card","lines":[{"productCode":"M1","quantity":1}],"buyerName":"b","emailOptIn":false}"#,
                #"{"command":"PlaceCouponOrder","commandId":"\#(UUID())","actor":\#(user("8888000002")),"paymentMethod":"bankTransfer","lines":[{"productCode":"M1","quantity":1}],"buyerName":"b","emailOptIn":false}"#,
            ]
        for command in setup {
            let reply = try await post(portA, command)
            #expect(reply.status == 200, "\(reply.body)")
        }
        try setClock("2026-04-06T10:07:30+09:00")
        #expect(try await eventually(within: .seconds(20)) { try await count(test, "PaymentAttemptTimedOut") >= 1 })
        try setClock("2026-05-07T23:30:00+09:00")
        #expect(try await eventually(within: .seconds(20)) { try await count(test, "CouponOrderExpired") >= 1 })
        try await Task.sleep(for: .seconds(1))  // a few more scheduler rounds of both daemons
        #expect(try await count(test, "PaymentAttemptTimedOut") == 1)
        #expect(try await count(test, "CouponOrderExpired") == 1)
        #expect(try await count(test, "CouponPurchaseClosed") == 2)
        for server in [a, b] { server.kill(SIGTERM) }
        for server in [a, b] { #expect(await server.wait(within: .seconds(60)).status == 0) }
    }
}
