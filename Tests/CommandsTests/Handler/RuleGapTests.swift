import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain

/// Rules that a command can break and that the worked examples do not reach (docs/rules-to-tests.md).
@Suite("rules: resubmission, holds, withdrawals, actors, tax per document, methods, membership")
struct RuleGapTests {
    static let gateway: JSONValue = ["kind": "gateway", "id": "gmo"]

    @Test("R2/Q7: the payment method may change on resubmission; coupons follow it")
    func resubmitChangesMethod() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.grant(1)
        _ = await ledger.run("SubmitApplication", LedgerFixture.ichiro, LedgerFixture.application("000000801"))
        _ = await ledger.run("PutApplicationOnHold", LedgerFixture.staff, ["receptionNo": "000000801"])
        let toCard = await ledger.run(
            "ResubmitApplication", LedgerFixture.ichiro,
            ["receptionNo": "000000801", "paymentMethod": "card"])
        #expect(toCard.status == .ok)
        #expect(!toCard.events.map(\.eventType).contains(CouponUsed.eventType), "card takes no coupon")
        #expect(try await ledger.company().available == 1)
        _ = await ledger.run("PutApplicationOnHold", LedgerFixture.staff, ["receptionNo": "000000801"])
        _ = await ledger.run(
            "AdjustCoupons", LedgerFixture.staff, ["tradeRegNo": "8888000004", "delta": -1, "reason": "x"])
        let toCoupon = await ledger.run(
            "ResubmitApplication", LedgerFixture.ichiro,
            ["receptionNo": "000000801", "paymentMethod": "coupon"])
        #expect(toCoupon.error?.code == .insufficientCoupons)
        // A counter application cannot switch to card.
        try await ledger.grant(1)
        _ = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro,
            LedgerFixture.application("000000802", method: "coupon", channel: "counter"))
        _ = await ledger.run("PutApplicationOnHold", LedgerFixture.staff, ["receptionNo": "000000802"])
        let counter = await ledger.run(
            "ResubmitApplication", LedgerFixture.ichiro,
            ["receptionNo": "000000802", "paymentMethod": "card"])
        #expect(counter.error?.code == .notCardPayable)
    }

    @Test("A15/Q20: no hold while a card attempt is open; a hold from the cart removes the item")
    func holdRules() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await CardPaymentExamplesTests().approvedInCart(ledger, ["000000811", "000000812"])
        let held = await ledger.run(
            "PutApplicationOnHold", LedgerFixture.staff, at: "2025-03-17T10:00:00+09:00",
            ["receptionNo": "000000812"])
        #expect(held.status == .ok, "\(held.jsonLine)")
        #expect(
            held.events.contains { $0.eventType == CartItemRemoved.eventType && $0.stream.rawValue == "cart-ichiro" })
        let started = await ledger.run("StartCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:01:00+09:00")
        #expect(started.result?["itemCount"] == 1)
        let refused = await ledger.run(
            "PutApplicationOnHold", LedgerFixture.staff, at: "2025-03-17T10:02:00+09:00",
            ["receptionNo": "000000811"])
        #expect(refused.error?.code == .wrongState)
        #expect(refused.error?.details["state"] == "paymentPending")
    }

    @Test("A16/Q8: withdrawal returns a held coupon, empties the cart, and is refused once issued")
    func withdrawRules() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.grant(1)
        _ = await ledger.run("SubmitApplication", LedgerFixture.ichiro, LedgerFixture.application("000000821"))
        let withdrawn = await ledger.run(
            "WithdrawApplication", LedgerFixture.ichiro,
            ["receptionNo": "000000821", "reason": "取下げ"])
        #expect(withdrawn.events.map(\.eventType) == [ApplicationWithdrawn.eventType, CouponReturned.eventType])
        #expect(try await ledger.company().available == 1)
        try await CardPaymentExamplesTests().approvedInCart(ledger, ["000000822"])
        let fromCart = await ledger.run(
            "WithdrawApplication", LedgerFixture.staff, at: "2025-03-17T10:00:00+09:00",
            ["receptionNo": "000000822", "reason": "取下げ"])
        #expect(fromCart.events.contains { $0.eventType == CartItemRemoved.eventType })
        _ = await ledger.run("SubmitApplication", LedgerFixture.ichiro, LedgerFixture.application("000000823"))
        _ = await ledger.run("ApproveApplication", LedgerFixture.staff, ["receptionNo": "000000823"])
        let issued = await ledger.run(
            "WithdrawApplication", LedgerFixture.ichiro, ["receptionNo": "000000823", "reason": "x"])
        #expect(issued.error?.code == .wrongState)
    }

    @Test(
        "R21, R50/Q14, R55: outside facts and staff actions refuse the wrong actor",
        arguments: [
            ("RecordGatewayResult", "companyUser"), ("CheckDepositManually", "companyUser"),
            ("RecordRefund", "companyUser"),
            ("RunNightlyDepositCheck", "chamberStaff"), ("RecordBankDeposit", "companyUser"),
            ("SweepDeadlines", "gateway"),
        ])
    func actors(command: String, kind: String) async throws {
        let ledger = try await LedgerFixture.make()
        let actor: JSONValue =
            kind == "companyUser"
            ? LedgerFixture.ichiro
            : kind == "gateway" ? Self.gateway : LedgerFixture.staff
        let outcome = await ledger.run(command, actor, ["settlementNo": "20250317-8888000004-00001"])
        #expect(outcome.error?.code == .forbidden, "\(outcome.jsonLine)")
    }

    @Test("R64/R65: tax is split once per document, on the total (11,000 → 1,000, not 999 line by line)")
    func taxOncePerDocument() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts()
        let placed = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:00:00+09:00",
            CouponOrderExamplesTests.order("bankTransfer", [("P1", 1), ("P11", 1)]))
        #expect(placed.result?["amountYen"] == 11000)
        #expect(placed.result?["consumptionTaxYen"] == 1000)
        #expect(placed.result?["taxableAmountYen"] == 10000)
    }

    @Test("R41: a method removed by the chamber is refused on the next order")
    func methodsReconfigured() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts()
        let configured = await ledger.run(
            "ConfigurePaymentMethods", LedgerFixture.staff,
            ["tradeRegNo": "8888000004", "methods": ["bankTransfer"]])
        #expect(configured.status == .ok)
        let card = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2026-04-02T10:00:00+09:00",
            CouponOrderExamplesTests.order("card", [("M1", 1)]))
        #expect(card.error?.code == .paymentMethodNotAllowed)
    }

    @Test("R44/Q6: a membership change keeps the coupon counts and changes the next order's catalog")
    func membershipChange() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts()
        try await ledger.grant(5)
        _ = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2026-04-02T10:00:00+09:00",
            CouponOrderExamplesTests.order("bankTransfer", [("M30", 1)]))
        let before = try await ledger.company()
        _ = await ledger.run(
            "ChangeMembership", LedgerFixture.staff, at: "2026-04-03T10:00:00+09:00",
            ["tradeRegNo": "8888000004", "membership": "nonMember", "effectiveFrom": "2026-04-03"])
        let after = try await ledger.company()
        #expect(after.available == before.available && after.pending == before.pending && after.pending == 30)
    }
}

extension RuleGapTests {
    @Test("I18: opaque outside references are screened too: a card number as an error code is refused")
    func cardNumberInReferences() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let outcome = await ledger.run(
            "RecordGatewayResult", Self.gateway,
            [
                "settlementNo": "20260402-8888000004-00001", "outcome": "failed", "gatewayTransactionId": "tx",
                "errorCode": "4111111111111111",
            ])
        #expect(outcome.error?.code == .cardDataRejected)
        let deposit = await ledger.run(
            "RecordBankDeposit", ["kind": "bankFeed", "id": "b"],
            [
                "depositId": "5555-5555-5555-4444", "bankCode": "0310", "branchCode": "502", "accountNumber": "6818564",
                "amountYen": 1, "depositedOn": "2026-04-02",
            ])
        #expect(deposit.error?.code == .cardDataRejected)
    }
}
