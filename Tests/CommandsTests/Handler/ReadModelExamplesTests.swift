import EventStore
import Foundation
import Projections
import TestSupport
import Testing

@testable import Commands
@testable import Domain

/// The worked examples that are about what people read: EX-5 (status search) and EX-7 (the
/// monthly statement list, visible only to the payer), with the commands run through the
/// handler and the read models built by the projection workers.
@Suite("worked examples read from the projections")
struct ReadModelExamplesTests {
    func catchUp(_ ledger: LedgerFixture) async throws {
        for projection in ProjectionCatalog.all {
            _ = try await ProjectionWorker(
                projection: projection, store: ledger.test.store,
                conninfo: ledger.test.conninfo
            ).catchUp()
        }
    }

    /// Files, approves and pays one application by card on `paidOn`, as `user`.
    func pay(
        _ ledger: LedgerFixture, _ receptionNo: String, kind: String, label: String, applied: String,
        paidOn: String, user: JSONValue = LedgerFixture.taro
    ) async throws {
        var fields = LedgerFixture.application(receptionNo, method: "card", date: applied)
        fields["certificateKind"] = .string(kind)
        fields["certificateKindLabel"] = .string(label)
        #expect(await ledger.run("SubmitApplication", user, at: "\(applied)T09:00:00+09:00", fields).status == .ok)
        #expect(
            await ledger.run(
                "ApproveApplication", LedgerFixture.staff, at: "\(applied)T09:30:00+09:00",
                ["receptionNo": .string(receptionNo), "approvalDate": .string(applied)]
            ).status == .ok)
        #expect(
            await ledger.run(
                "AddToCart", user, at: "\(paidOn)T10:00:00+09:00",
                ["receptionNo": .string(receptionNo)]
            ).status == .ok)
        let started = await ledger.run("StartCardPayment", user, at: "\(paidOn)T10:01:00+09:00")
        let paid = await ledger.run(
            "RecordGatewayResult", ["kind": "gateway", "id": "gmo"], at: "\(paidOn)T10:02:00+09:00",
            [
                "settlementNo": try #require(started.result?["settlementNo"]), "outcome": "succeeded",
                "gatewayTransactionId": .string("tx-\(receptionNo)"), "capturedAmountYen": 1100,
            ])
        #expect(paid.status == .ok, "\(paid.jsonLine)")
    }

    /// Reads `sql` as a reporting user (`ledger_reporting`, `ledger.user_id` = `user`).
    func asReporting(_ ledger: LedgerFixture, user: String, _ sql: String) async throws -> [[String?]] {
        let connection = try await ledger.test.connect()
        try await connection.execute(
            """
            DO $$ BEGIN CREATE ROLE ledger_test_reader LOGIN IN ROLE ledger_reporting;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$
            """)
        await connection.close()
        let reader = try await PGConnection.connect(ledger.test.conninfo + " user=ledger_test_reader")
        try await reader.query("SELECT set_config('ledger.user_id', $1, false)", [user])
        let result = try await reader.query(sql)
        await reader.close()
        return result.rows.map { row in (0..<result.columnCount).map { result.text(row: row.index, column: $0) } }
    }

    @Test("EX-7: taro's April list holds exactly his five statements, by settlement month; no one else sees them")
    func ex7() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await pay(
            ledger, "000007314", kind: "signature", label: "サイン証明(自販)", applied: "2025-04-30", paidOn: "2025-04-30")
        try await pay(
            ledger, "000007304", kind: "signature", label: "サイン証明(衛生)", applied: "2025-04-30", paidOn: "2025-04-30")
        try await pay(
            ledger, "000003833", kind: "invoice", label: "インボイス証明", applied: "2025-04-30", paidOn: "2025-04-30")
        try await pay(
            ledger, "000012761", kind: "originJapan", label: "原産地証明書(日本産)", applied: "2025-04-22", paidOn: "2025-04-22")
        try await pay(
            ledger, "000012721", kind: "originJapan", label: "原産地証明書(日本産)", applied: "2025-03-26", paidOn: "2025-04-24")
        // jiro (a sub-ID of the same company) pays one of his own.
        try await pay(
            ledger, "000007999", kind: "invoice", label: "インボイス証明", applied: "2025-04-28", paidOn: "2025-04-28",
            user: LedgerFixture.jiro)
        try await catchUp(ledger)
        let list =
            "SELECT reception_no FROM projections.credit_statement WHERE settlement_month = '2025-04' ORDER BY reception_no"
        let april = try await asReporting(ledger, user: "taro", list)
        #expect(april.map { $0[0] } == ["000003833", "000007304", "000007314", "000012721", "000012761"])
        let march = try await asReporting(
            ledger, user: "taro",
            "SELECT reception_no FROM projections.credit_statement WHERE settlement_month = '2025-03'")
        #expect(march.isEmpty, "000012721 was applied for in March but settled in April")
        #expect(
            try await asReporting(ledger, user: "jiro", list).map { $0[0] } == ["000007999"], "jiro sees only his own")
        #expect(try await asReporting(ledger, user: "ichiro", list).isEmpty)
        // Without ledger.user_id, nothing.
        #expect(try await asReporting(ledger, user: "", list).isEmpty)
    }

    @Test("EX-5: paid applications are found by state 交付済; the states follow the cart and the payment")
    func ex5() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        for (n, receptionNo) in ["000007081", "000007071", "000007061", "000007051", "000007041"].enumerated() {
            var fields = LedgerFixture.application(receptionNo, method: "card", date: "2022-03-10")
            fields["destinationCountry"] = "タイ"
            fields["invoiceNumber"] = .string(["abc11", "abc99", "abc88", "abc77", "abc66"][n])
            fields["exporterName"] = "日商テスト商事株式会社"
            fields["personInCharge"] = "日商 太郎"
            #expect(
                await ledger.run(
                    "SubmitApplication", LedgerFixture.taro, at: "2022-03-10T10:3\(3 + n):00+09:00",
                    fields
                ).status == .ok)
            _ = await ledger.run(
                "ApproveApplication", LedgerFixture.staff, at: "2022-03-10T11:00:00+09:00",
                ["receptionNo": .string(receptionNo)])
            _ = await ledger.run(
                "AddToCart", LedgerFixture.taro, at: "2022-03-10T11:30:00+09:00",
                ["receptionNo": .string(receptionNo)])
        }
        try await catchUp(ledger)
        let connection = try await ledger.test.connect()
        let inCart = try await connection.query(
            "SELECT count(*) FROM projections.application_status WHERE state = 'inCart' AND cart_user_id = 'taro'")
        #expect(try inCart.singleRow().decode(Int.self, 0) == 5)
        let started = await ledger.run("StartCardPayment", LedgerFixture.taro, at: "2022-03-10T11:31:00+09:00")
        _ = await ledger.run(
            "RecordGatewayResult", ["kind": "gateway", "id": "gmo"], at: "2022-03-10T11:32:00+09:00",
            [
                "settlementNo": try #require(started.result?["settlementNo"]), "outcome": "succeeded",
                "gatewayTransactionId": "tx-5", "capturedAmountYen": 5500,
            ])
        try await catchUp(ledger)
        let issued = try await connection.query(
            """
            SELECT reception_no, status_label, destination_country, settlement_date::text FROM projections.application_status
             WHERE status_label = '交付済' ORDER BY reception_no DESC
            """)
        #expect(
            issued.rows.map { $0.result.text(row: $0.index, column: 0) }
                == ["000007081", "000007071", "000007061", "000007051", "000007041"])
        #expect(issued.rows.allSatisfy { $0.result.text(row: $0.index, column: 2) == "タイ" })
        #expect(issued.rows.allSatisfy { $0.result.text(row: $0.index, column: 3) == "2022-03-10" })
        await connection.close()
    }
}

extension ReadModelExamplesTests {
    @Test("EX-10 in the read models: history rows, balance 6 and pending 11, then 17 with the row confirmed")
    func ex10ReadModels() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts()
        let orders = CouponOrderExamplesTests()
        _ = await ledger.run(
            "AdjustCoupons", LedgerFixture.staff, at: "2025-05-22T09:58:00+09:00",
            ["tradeRegNo": "8888000004", "delta": 1, "reason": "お試し"])
        let card = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:01:00+09:00",
            CouponOrderExamplesTests.order("card", [("P1", 5)]))
        _ = await ledger.run(
            "RecordGatewayResult", ["kind": "gateway", "id": "gmo"], at: "2025-05-22T10:01:30+09:00",
            [
                "settlementNo": try #require(card.result?["settlementNo"]), "outcome": "succeeded",
                "gatewayTransactionId": "tx-10", "capturedAmountYen": 5000,
            ])
        let bank = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:02:00+09:00",
            CouponOrderExamplesTests.order("bankTransfer", [("P11", 1)]))
        try await catchUp(ledger)
        let connection = try await ledger.test.connect()
        let history = """
            SELECT operation, to_char(occurred_at AT TIME ZONE 'Asia/Tokyo', 'YYYY/MM/DD HH24:MI'),
                   CASE WHEN confirmed THEN '済' ELSE '-' END, purchase_amount_yen, deposit_amount_yen,
                   settled_amount_yen, purchased, used, balance_after
              FROM projections.coupon_history WHERE trade_reg_no = '8888000004' ORDER BY occurred_at DESC
            """
        func rows() async throws -> [[String?]] {
            let result = try await connection.query(history)
            return result.rows.map { row in (0..<result.columnCount).map { result.text(row: row.index, column: $0) } }
        }
        #expect(
            try await rows() == [
                ["購入(振込)", "2025/05/22 10:02", "-", "10000", nil, nil, "11", nil, nil],
                ["購入(クレジット)", "2025/05/22 10:01", "済", "5000", "5000", "5000", "5", nil, "6"],
                ["会議所操作", "2025/05/22 09:58", "済", nil, nil, nil, "1", nil, "1"],
            ])
        let balance = try await connection.query(
            "SELECT available, pending_purchase, open_order_no FROM projections.coupon_balance WHERE trade_reg_no = '8888000004'"
        ).singleRow()
        #expect(try balance.decode(Int.self, 0) == 6)
        #expect(try balance.decode(Int.self, 1) == 11)
        #expect(try balance.decodeIfPresent(String.self, 2) == bank.result?["orderNo"]?.text)
        // Continuation: credited, found that night, issued Fri 2025-05-23.
        _ = await orders.deposit(ledger, id: "D10", amount: 10000, on: "2025-05-22")
        _ = await orders.nightly(ledger, "2025-05-22")
        _ = await orders.issue(ledger, "2025-05-23")
        try await catchUp(ledger)
        #expect(
            try await rows().first == ["購入(振込)", "2025/05/22 10:02", "済", "10000", "10000", "10000", "11", nil, "17"])
        // Continuation: use → 16, hold → 17 (返却), resubmit → 16, approve → 交付済, still 16.
        _ = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro, at: "2025-05-23T10:00:00+09:00",
            LedgerFixture.application("000099991", date: "2025-05-23"))
        _ = await ledger.run(
            "PutApplicationOnHold", LedgerFixture.staff, at: "2025-05-23T11:00:00+09:00",
            ["receptionNo": "000099991"])
        _ = await ledger.run(
            "ResubmitApplication", LedgerFixture.ichiro, at: "2025-05-23T12:00:00+09:00",
            ["receptionNo": "000099991"])
        _ = await ledger.run(
            "ApproveApplication", LedgerFixture.staff, at: "2025-05-23T13:00:00+09:00",
            ["receptionNo": "000099991"])
        try await catchUp(ledger)
        #expect(
            Array(try await rows().prefix(3)) == [
                ["使用", "2025/05/23 12:00", "済", nil, nil, nil, nil, "1", "16"],
                ["返却", "2025/05/23 11:00", "済", nil, nil, nil, "1", nil, "17"],
                ["使用", "2025/05/23 10:00", "済", nil, nil, nil, nil, "1", "16"],
            ])
        let status = try await connection.query(
            "SELECT status_label FROM projections.application_status WHERE reception_no = '000099991'"
        ).singleRow()
        #expect(try status.decode(String.self, 0) == "交付済")
        #expect(
            try await connection.query(
                "SELECT available FROM projections.coupon_balance WHERE trade_reg_no = '8888000004'"
            ).singleRow().decode(Int.self, 0) == 16)
        let order = try await connection.query(
            "SELECT state, confirmation_date::text, account_number, valid_until::text FROM projections.coupon_order WHERE order_no = $1",
            [try #require(bank.result?["orderNo"]?.text)]
        ).singleRow()
        #expect(try order.decode(String.self, 0) == "fulfilled")
        #expect(try order.decode(String.self, 1) == "2025-05-23")
        #expect(try order.decode(String.self, 2) == "6818564")
        #expect(try order.decode(String.self, 3) == "2025-06-21")
        await connection.close()
    }
}

extension JSONValue {
    var text: String? { if case .string(let value) = self { value } else { nil } }
}

extension ReadModelExamplesTests {
    func count(_ ledger: LedgerFixture, _ sql: String) async throws -> Int {
        let connection = try await ledger.test.connect()
        defer { Task { await connection.close() } }
        return try await connection.query(sql).singleRow().decode(Int.self, 0)
    }

    @Test("§7.8 back-office views follow an overpaid bank order and a card attempt")
    func backOfficeViews() async throws {
        let ledger = try await LedgerFixture.make()
        let orders = CouponOrderExamplesTests()
        _ = try await orders.placeEX9(ledger)
        try await catchUp(ledger)
        #expect(try await count(ledger, "SELECT count(*) FROM projections.open_bank_orders") == 1)
        _ = await orders.deposit(ledger, id: "D1", amount: 14000, on: "2024-01-22")
        _ = await orders.nightly(ledger, "2024-01-22")
        try await catchUp(ledger)
        #expect(try await count(ledger, "SELECT count(*) FROM projections.open_bank_orders") == 0)
        #expect(
            try await count(
                ledger,
                """
                SELECT count(*) FROM projections.scheduled_issuance WHERE scheduled_issue_date = '2024-01-23'
                """) == 1)
        #expect(try await count(ledger, "SELECT sum(basis_yen)::int FROM projections.refunds_due") == 800)
        _ = await orders.issue(ledger, "2024-01-23")
        try await catchUp(ledger)
        #expect(try await count(ledger, "SELECT count(*) FROM projections.scheduled_issuance") == 0)
        #expect(
            try await count(
                ledger,
                """
                SELECT coupons_issued::int FROM projections.daily_totals WHERE day = '2024-01-23'
                """) == 40)
        #expect(
            try await count(
                ledger,
                """
                SELECT deposits_yen::int FROM projections.daily_totals
                 WHERE day = '2024-01-22' AND chamber_id = 'kamikochi'
                """) == 14000, "a deposit counts on its credit date (issue #13)")
        #expect(
            try await count(
                ledger,
                """
                SELECT deposits_yen::int FROM projections.daily_totals WHERE day = '2024-01-23'
                """) == 0)
        let connection = try await ledger.test.connect()
        let refundId = try await connection.query("SELECT refund_id FROM projections.refunds_due").singleRow()
            .decode(String.self, 0)
        await connection.close()
        _ = await ledger.run(
            "RecordRefund", LedgerFixture.staff, at: "2024-02-01T10:00:00+09:00",
            [
                "refundId": .string(refundId), "paidYen": 655, "deductedCostsYen": 145, "paidOn": "2024-02-01",
                "method": "bankTransfer",
            ])
        // A card attempt is open until its result comes.
        _ = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2024-02-02T10:00:00+09:00",
            CouponOrderExamplesTests.order("card", [("P10", 1)]))
        try await catchUp(ledger)
        #expect(try await count(ledger, "SELECT count(*) FROM projections.refunds_due") == 0)
        #expect(try await count(ledger, "SELECT count(*) FROM projections.open_payment_attempts") == 1)
    }
}

extension ReadModelExamplesTests {
    @Test(
        "EX-9h: two manual checks that find nothing; the order shows the latest check time; voided rows keep a suffix")
    func ex9h() async throws {
        let ledger = try await LedgerFixture.make()
        let orders = CouponOrderExamplesTests()
        _ = try await orders.placeEX9(ledger)
        for time in ["2024-03-01T16:34:48+09:00", "2024-03-01T16:48:11+09:00"] {
            let checked = await ledger.run(
                "CheckDepositManually", LedgerFixture.staff, at: time,
                ["orderNo": "202401198888000004000001"])
            #expect(checked.events.map(\.eventType) == ["BankDepositChecked"], "\(checked.jsonLine)")
            #expect(checked.result?["found"] == false)
        }
        _ = await ledger.run(
            "CancelCouponOrder", LedgerFixture.staff, at: "2024-03-02T10:00:00+09:00",
            ["orderNo": "202401198888000004000001", "reason": "期限切れ後の取消"])
        try await catchUp(ledger)
        let connection = try await ledger.test.connect()
        let order = try await connection.query(
            """
            SELECT to_char(last_checked_at AT TIME ZONE 'Asia/Tokyo', 'YYYY/MM/DD HH24:MI:SS'), state
              FROM projections.coupon_order WHERE order_no = '202401198888000004000001'
            """
        ).singleRow()
        #expect(try order.decode(String.self, 0) == "2024/03/01 16:48:11")
        #expect(try order.decode(String.self, 1) == "cancelled")
        let history = try await connection.query(
            """
            SELECT content, confirmed FROM projections.coupon_history WHERE entry_id = '202401198888000004000001'
            """
        ).singleRow()
        #expect(try history.decode(String.self, 0) == "クーポンを購入 ユーザ: 日商 次郎(キャンセル)")
        #expect(try history.decode(Bool.self, 1) == false)
        await connection.close()
    }

    @Test("R12/EX-18: the payable list is the company's approved, unpaid, online card applications")
    func payableList() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.grant(1, at: "2025-03-01T09:00:00+09:00")
        try await CardPaymentExamplesTests().approvedInCart(ledger, ["000004172", "000012641"], addToCart: false)
        _ = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro, at: "2025-03-17T09:00:00+09:00",
            LedgerFixture.application("000000777", method: "coupon", channel: "counter", date: "2025-03-17"))
        _ = await ledger.run(
            "ApproveApplication", LedgerFixture.staff, at: "2025-03-17T09:30:00+09:00",
            ["receptionNo": "000000777"])
        _ = await ledger.run(
            "AddToCart", LedgerFixture.ichiro, at: "2025-03-17T10:00:00+09:00", ["receptionNo": "000012641"])
        try await catchUp(ledger)
        let connection = try await ledger.test.connect()
        let payable = try await connection.query(
            """
            SELECT reception_no FROM projections.application_status
             WHERE trade_reg_no = '8888000004' AND state = 'awaitingPayment' AND payment_method = 'card'
               AND issuance_channel = 'online' ORDER BY reception_no
            """
        ).rows.map { try $0.decode(String.self, 0) }
        #expect(payable == ["000004172"], "the carted one and the counter one are not payable")
        await connection.close()
    }
}
