import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain

/// The remaining worked examples that the command side decides (EX-2, EX-6, EX-14).
@Suite("worked examples: cart removal, the fee statement, order arithmetic")
struct MoreExamplesTests {
    @Test("EX-2: removing one item, then all, from the cart")
    func ex2() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await CardPaymentExamplesTests().approvedInCart(ledger, ["000004172", "000012641"])
        let one = await ledger.run(
            "RemoveFromCart", LedgerFixture.ichiro, at: "2025-03-17T10:00:00+09:00",
            ["receptionNo": "000004172"])
        #expect(one.status == .ok, "\(one.jsonLine)")
        let started = await ledger.run("StartCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:01:00+09:00")
        #expect(started.result?["amountYen"] == 1100)
        #expect(started.result?["itemCount"] == 1)
        #expect(started.result?["productLabel"] == "貿易関係証明発給システム 1申請分手数料")

        let second = try await LedgerFixture.make()
        try await second.setUp()
        try await CardPaymentExamplesTests().approvedInCart(second, ["000004172", "000012641"])
        let all = await second.run(
            "RemoveFromCart", LedgerFixture.ichiro, at: "2025-03-17T10:00:00+09:00", ["all": true])
        #expect(all.events.count == 2)
        let empty = await second.run("StartCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:01:00+09:00")
        #expect(empty.error?.code == .cartEmpty)
        // Both are payable again.
        let readded = await second.run(
            "AddToCart", LedgerFixture.taro, at: "2025-03-17T10:02:00+09:00",
            ["receptionNo": "000004172"])
        #expect(readded.status == .ok)
    }

    @Test("EX-6: the fee statement of 3,300 yen: 3,000 + 300, issued under JCCI's registration number")
    func ex6() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp(membership: "nonMember")
        var fields = LedgerFixture.application("000012345", method: "card", date: "2024-07-03")
        fields["invoiceNumber"] = "20240703"
        _ = await ledger.run("SubmitApplication", LedgerFixture.taro, at: "2024-07-03T09:00:00+09:00", fields)
        let approved = await ledger.run(
            "ApproveApplication", LedgerFixture.staff, at: "2024-07-03T09:30:00+09:00",
            ["receptionNo": "000012345", "certificateNumber": "888864240001151"])
        #expect(approved.result?["feeYen"] == 3300)
        _ = await ledger.run(
            "AddToCart", LedgerFixture.taro, at: "2024-07-03T10:00:00+09:00", ["receptionNo": "000012345"])
        let started = await ledger.run("StartCardPayment", LedgerFixture.taro, at: "2024-07-03T10:01:00+09:00")
        let settlementNo = try #require(started.result?["settlementNo"]?.stringValue)
        _ = await ledger.run(
            "RecordGatewayResult", ["kind": "gateway", "id": "gmo"], at: "2024-07-03T10:02:00+09:00",
            [
                "settlementNo": .string(settlementNo), "outcome": "succeeded", "gatewayTransactionId": "tx-6",
                "capturedAmountYen": 3300,
            ])
        let event = try #require(
            try await ledger.test.store.readWholeStream(StreamName("payment-\(settlementNo)")!)
                .first { $0.eventType == StatementIssued.eventType })
        let statement = try JSONCoding.decoder.decode(StatementIssued.self, from: Data(event.data.utf8))
        #expect(statement.kind == .applicationFee)
        #expect(statement.issueNumber.stringValue.hasPrefix("20240703"))
        #expect(statement.issueDate.stringValue == "2024-07-03")
        #expect(statement.settlementDate.stringValue == "2024-07-03")
        #expect(statement.issuerName == "日本商工会議所")
        #expect(statement.issuerRegistrationNumber == "T5010005003975")
        #expect(statement.tradeRegNoAsPrinted == "8888000004")
        #expect(statement.companyName == "日商テスト商事株式会社")
        #expect(statement.issuingChamberName == "上高地商工会議所")
        #expect(statement.content == "原産地証明書(日本産)")
        #expect(statement.certificateNumber == "888864240001151")
        #expect(statement.invoiceNumber == "20240703")
        #expect(statement.amountYen == 3300 && statement.taxableAmountYen == 3000 && statement.consumptionTaxYen == 300)
        #expect(statement.taxRatePercent == 10)
        #expect(statement.paymentType == "lumpSum")
        #expect(statement.payerUserId.stringValue == "taro")
    }

    @Test("EX-14: order arithmetic of the test screens; quantity-0 lines are dropped")
    func ex14() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts()
        let legacy: [String: JSONValue] = [
            "chamberId": "kamikochi", "effectiveFrom": "2023-01-01",
            "applicationFeeYen": ["member": 1100, "nonMember": 3300],
            "couponProducts": [
                LedgerFixture.product("T1", "クーポン 1枚綴り", "member", pack: 1, price: 1200),
                LedgerFixture.product("T10", "クーポン 10枚綴り", "member", pack: 10, price: 12),
                LedgerFixture.product("T11", "クーポン 11枚綴り", "member", pack: 11, price: 12000),
            ],
        ]
        #expect(
            await ledger.run("PublishTariff", LedgerFixture.staff, at: "2022-12-01T09:00:00+09:00", legacy).status
                == .ok)
        for (lines, amount, coupons, tax, taxable) in [
            ([("T10", Int64(3)), ("T1", 0)], Int64(36), Int64(30), Int64(3), Int64(33)),
            ([("T11", 2)], 24000, 22, 2181, 21819),
        ] {
            let placed = await ledger.run(
                "PlaceCouponOrder", LedgerFixture.jiro, at: "2023-06-01T10:00:00+09:00",
                CouponOrderExamplesTests.order("bankTransfer", lines))
            #expect(placed.result?["amountYen"] == .int(amount), "\(placed.jsonLine)")
            #expect(placed.result?["totalCoupons"] == .int(coupons))
            #expect(placed.result?["consumptionTaxYen"] == .int(tax))
            #expect(placed.result?["taxableAmountYen"] == .int(taxable))
            let orderNo = try #require(placed.result?["orderNo"]?.stringValue)
            let stored = try #require(
                try await ledger.test.store.readWholeStream(StreamName("couponOrder-\(orderNo)")!).first)
            let order = try JSONCoding.decoder.decode(CouponOrderPlaced.self, from: Data(stored.data.utf8))
            #expect(order.lines.allSatisfy { $0.quantity.value > 0 }, "quantity-0 lines are not stored (Q36)")
            _ = await ledger.run(
                "CancelCouponOrder", LedgerFixture.jiro, at: "2023-06-01T10:05:00+09:00",
                ["orderNo": .string(orderNo)])
        }
    }
}
