import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain

/// DOMAIN.md §10's coupon examples, run as commands through the handler and PostgreSQL.
@Suite("worked examples: coupon orders, bank transfers and card purchases")
struct CouponOrderExamplesTests {
    static let gateway = LedgerFixture.gateway
    static let daemon = LedgerFixture.daemon
    static let bank = LedgerFixture.bank

    static func order(_ method: String, _ lines: [(String, Int64)], buyer: String = "日商 次郎") -> [String: JSONValue] {
        LedgerFixture.order(method, lines, buyer: buyer)
    }

    func deposit(
        _ ledger: LedgerFixture, id: String, amount: Int64, on date: String,
        account: String = "6818564"
    ) async -> CommandOutcome {
        await ledger.deposit(id: id, amount: amount, on: date, account: account)
    }

    func nightly(_ ledger: LedgerFixture, _ date: String) async -> CommandOutcome {
        await ledger.nightly(date)
    }

    func issue(_ ledger: LedgerFixture, _ date: String) async -> CommandOutcome {
        await ledger.run("IssueScheduledCoupons", Self.daemon, at: "\(date)T06:00:00+09:00", ["date": .string(date)])
    }

    func orderEvents(_ ledger: LedgerFixture, _ orderNo: String) async throws -> [String] {
        try await ledger.test.store.readWholeStream(StreamName("couponOrder-\(orderNo)")!).map(\.eventType)
    }

    func placeEX9(_ ledger: LedgerFixture) async throws -> CommandOutcome {
        let placed = try await ledger.placeEX9()
        #expect(placed.status == .ok, "\(placed.jsonLine)")
        return placed
    }

    @Test("EX-9: a bank order of 4 × 10-coupon packs for 13,200 yen")
    func ex9() async throws {
        let ledger = try await LedgerFixture.make()
        let placed = try await placeEX9(ledger)
        #expect(placed.result?["orderNo"] == "202401198888000004000001")
        #expect(placed.result?["amountYen"] == 13200)
        #expect(placed.result?["totalCoupons"] == 40)
        #expect(placed.result?["taxableAmountYen"] == 12000)
        #expect(placed.result?["consumptionTaxYen"] == 1200)
        #expect(placed.result?["validUntil"] == "2024-02-18")
        #expect(placed.result?["virtualAccount"]?["accountNumber"] == "6818564")
        let company = try await ledger.company()
        #expect(company.pending == 40)
        #expect(company.available == 0)
        // R39: while it is open, taro and ichiro are refused.
        for user in [LedgerFixture.taro, LedgerFixture.ichiro] {
            let refused = await ledger.run(
                "PlaceCouponOrder", user, at: "2024-01-19T11:00:00+09:00",
                Self.order("bankTransfer", [("P10", 1)]))
            #expect(refused.error?.code == .purchaseInProgress)
            #expect(refused.error?.message.contains("202401198888000004000001") == true)
        }
    }

    @Test(
        "EX-9a/b: nightly detection, issuance on the next business day",
        arguments: [
            ("2024-01-22", "2024-01-23"), ("2024-01-26", "2024-01-29"),
        ])
    func ex9ab(credited: String, issuedOn: String) async throws {
        let ledger = try await LedgerFixture.make()
        _ = try await placeEX9(ledger)
        #expect(await deposit(ledger, id: "D1", amount: 13200, on: credited).status == .ok)
        let night = await nightly(ledger, credited)
        #expect(night.status == .ok, "\(night.jsonLine)")
        #expect(try await orderEvents(ledger, "202401198888000004000001").contains("BankDepositReceived"))
        // Not before the scheduled business day.
        let dayBefore = JSTDate(instant: RFC3339.parse("\(issuedOn)T00:00:00+09:00")!).adding(days: -1).stringValue
        if dayBefore > credited {
            let early = await issue(ledger, dayBefore)
            #expect(early.events.isEmpty)
        }
        let issued = await issue(ledger, issuedOn)
        #expect(issued.events.map(\.eventType).contains("CouponsIssued"), "\(issued.jsonLine)")
        let company = try await ledger.company()
        #expect(company.available == 40)
        #expect(company.pending == 0)
    }

    @Test("EX-9c: a manual check issues the same day")
    func ex9c() async throws {
        let ledger = try await LedgerFixture.make()
        _ = try await placeEX9(ledger)
        _ = await deposit(ledger, id: "D1", amount: 13200, on: "2024-01-22")
        let checked = await ledger.run(
            "CheckDepositManually", LedgerFixture.staff, at: "2024-01-22T14:00:00+09:00",
            ["orderNo": "202401198888000004000001"])
        #expect(checked.status == .ok, "\(checked.jsonLine)")
        #expect(
            Set(checked.events.map(\.eventType)).isSuperset(of: [
                "BankDepositChecked", "BankDepositReceived", "CouponsIssued", "CouponPurchaseClosed",
                "CouponOrderFulfilled",
            ]))
        #expect(try await ledger.company().available == 40)
    }

    @Test(
        "EX-9d/e: overpayment refunds the excess; underpayment refunds all and issues nothing",
        arguments: [
            (Int64(14000), true, Int64(800)), (12980, false, 12980),
        ])
    func ex9de(amount: Int64, fulfilled: Bool, refundBasis: Int64) async throws {
        let ledger = try await LedgerFixture.make()
        _ = try await placeEX9(ledger)
        _ = await deposit(ledger, id: "D1", amount: amount, on: "2024-01-22")
        _ = await nightly(ledger, "2024-01-22")
        _ = await issue(ledger, "2024-01-23")
        let events = try await ledger.test.store.readWholeStream(StreamName("couponOrder-202401198888000004000001")!)
        let due = try #require(events.first { $0.eventType == RefundBecameDue.eventType })
        let refund = try JSONCoding.decoder.decode(RefundBecameDue.self, from: Data(due.data.utf8))
        #expect(refund.basisYen.value == refundBasis)
        #expect(refund.costsDeductible == fulfilled)
        let company = try await ledger.company()
        #expect(company.available.value == (fulfilled ? 40 : 0))
        #expect(company.pending == 0)
        if fulfilled {
            // Staff record the refund paid, less 145 yen of costs (F2: paid + costs = basis).
            let wrong = await ledger.run(
                "RecordRefund", LedgerFixture.staff, at: "2024-02-01T10:00:00+09:00",
                [
                    "refundId": .string(refund.refundId.uuidString.lowercased()), "paidYen": 700,
                    "deductedCostsYen": 145,
                    "paidOn": "2024-02-01", "method": "bankTransfer",
                ])
            #expect(wrong.error?.code == .amountMismatch)
            let recorded = await ledger.run(
                "RecordRefund", LedgerFixture.staff, at: "2024-02-01T10:00:00+09:00",
                [
                    "refundId": .string(refund.refundId.uuidString.lowercased()), "paidYen": 655,
                    "deductedCostsYen": 145,
                    "paidOn": "2024-02-01", "method": "bankTransfer",
                ])
            #expect(recorded.status == .ok, "\(recorded.jsonLine)")
        } else {
            #expect(events.map(\.eventType).contains("CouponOrderClosedUnderpaid"))
            let again = await ledger.run(
                "PlaceCouponOrder", LedgerFixture.jiro, at: "2024-01-24T10:00:00+09:00",
                Self.order("bankTransfer", [("P10", 1)]))
            #expect(again.status == .ok, "the company may order again")
        }
        #expect(try await ledger.auditFailures().isEmpty)
    }

    @Test("EX-9f/g: expiry after the 30 days, a late deposit refunded in full; cancellation by the buyer")
    func ex9fg() async throws {
        let ledger = try await LedgerFixture.make()
        _ = try await placeEX9(ledger)
        _ = await nightly(ledger, "2024-02-18")
        let swept = await ledger.run("SweepDeadlines", Self.daemon, at: "2024-02-19T00:10:00+09:00")
        #expect(swept.events.map(\.eventType).contains("CouponOrderExpired"), "\(swept.jsonLine)")
        #expect(try await ledger.company().pending == 0)
        _ = await deposit(ledger, id: "D9", amount: 13200, on: "2024-02-20")
        _ = await nightly(ledger, "2024-02-20")
        let events = try await ledger.test.store.readWholeStream(StreamName("couponOrder-202401198888000004000001")!)
        let due = try #require(events.last { $0.eventType == RefundBecameDue.eventType })
        let refund = try JSONCoding.decoder.decode(RefundBecameDue.self, from: Data(due.data.utf8))
        #expect(refund.reason == .depositAfterClose)
        #expect(refund.basisYen == 13200)
        #expect(try await ledger.company().available == 0)

        let second = try await LedgerFixture.make()
        _ = try await placeEX9(second)
        let cancelled = await second.run(
            "CancelCouponOrder", LedgerFixture.jiro, at: "2024-01-20T10:00:00+09:00",
            ["orderNo": "202401198888000004000001"])
        #expect(cancelled.status == .ok, "\(cancelled.jsonLine)")
        let company = try await second.company()
        #expect(company.pending == 0)
        #expect(company.openPurchase == nil)
    }

    @Test("EX-10: balance 6 and pending 11, then 17 after the nightly issuance")
    func ex10() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts()
        #expect(
            await ledger.run(
                "AdjustCoupons", LedgerFixture.staff, at: "2025-05-22T09:58:00+09:00",
                ["tradeRegNo": "8888000004", "delta": 1, "reason": "お試し"]
            ).status == .ok)
        let card = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:00:30+09:00",
            Self.order("card", [("P1", 5)]))
        #expect(card.result?["amountYen"] == 5000, "\(card.jsonLine)")
        let settlementNo = try #require(card.result?["settlementNo"])
        let paid = await ledger.run(
            "RecordGatewayResult", Self.gateway, at: "2025-05-22T10:01:00+09:00",
            [
                "settlementNo": settlementNo, "outcome": "succeeded", "gatewayTransactionId": "tx-10",
                "capturedAmountYen": 5000,
            ])
        #expect(paid.status == .ok, "\(paid.jsonLine)")
        let statement = try await ledger.test.store.readWholeStream(StreamName("payment-\(settlementNo.stringValue!)")!)
            .first { $0.eventType == StatementIssued.eventType }
        let issued = try JSONCoding.decoder.decode(StatementIssued.self, from: Data(try #require(statement).data.utf8))
        #expect(issued.amountYen == 5000 && issued.taxableAmountYen == 4546 && issued.consumptionTaxYen == 454)
        let bank = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:02:00+09:00",
            Self.order("bankTransfer", [("P11", 1)]))
        #expect(bank.result?["amountYen"] == 10000)
        #expect(bank.result?["taxableAmountYen"] == 9091)
        #expect(bank.result?["consumptionTaxYen"] == 909)
        var company = try await ledger.company()
        #expect(company.available == 6)
        #expect(company.pending == 11)
        // EX-16: pending coupons cannot be used.
        let pendingUse = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro, at: "2025-05-22T10:03:00+09:00",
            LedgerFixture.application("000099990", date: "2025-05-22"))
        #expect(pendingUse.status == .ok, "6 are available")
        // Continuation: credited and found the same night; issued Fri 2025-05-23.
        _ = await deposit(ledger, id: "D10", amount: 10000, on: "2025-05-22")
        _ = await nightly(ledger, "2025-05-22")
        _ = await issue(ledger, "2025-05-23")
        company = try await ledger.company()
        #expect(company.available == 16)
        #expect(company.pending == 0)
        #expect(try await ledger.auditFailures().isEmpty)
    }

    @Test("EX-11: one open purchase per company; a sub-ID's card order credits the company")
    func ex11() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts()
        let bank = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:02:00+09:00",
            Self.order("bankTransfer", [("P11", 1)]))
        let before = try await ledger.eventCount()
        let refused = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.taro, at: "2025-05-22T10:05:00+09:00",
            Self.order("card", [("P1", 2)]))
        #expect(refused.error?.code == .purchaseInProgress)
        #expect(refused.error?.message.contains("jiro") == true)
        #expect(try await ledger.eventCount() == before)
        _ = await ledger.run(
            "CancelCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:06:00+09:00",
            ["orderNo": try #require(bank.result?["orderNo"])])
        let card = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:07:00+09:00",
            Self.order("card", [("P1", 2)]))
        #expect(card.result?["amountYen"] == 2000)
        let paid = await ledger.run(
            "RecordGatewayResult", Self.gateway, at: "2025-05-22T10:08:00+09:00",
            [
                "settlementNo": try #require(card.result?["settlementNo"]), "outcome": "succeeded",
                "gatewayTransactionId": "tx-11", "capturedAmountYen": 2000,
            ])
        #expect(paid.events.map(\.stream.rawValue).contains("company-8888000004"), "coupons go to the company (R40)")
        #expect(try await ledger.company().available == 2)
    }

    @Test("EX-12/EX-13: card purchases: 2,000 yen splits 1,819 + 181; 2 × 45 yen = 90 splits 82 + 8")
    func ex12and13() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.grant(24, at: "2025-05-01T09:00:00+09:00")
        for (lines, amount, taxable, tax, coupons) in [
            ([("P1", Int64(2))], Int64(2000), Int64(1819), Int64(181), Int32(26)),
            ([("P10S", 2)], 90, 82, 8, 46),
        ] {
            let card = await ledger.run(
                "PlaceCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:00:00+09:00",
                Self.order("card", lines))
            #expect(card.result?["amountYen"] == .int(amount), "\(card.jsonLine)")
            let settlementNo = try #require(card.result?["settlementNo"]?.stringValue)
            let paid = await ledger.run(
                "RecordGatewayResult", Self.gateway, at: "2025-05-22T10:01:00+09:00",
                [
                    "settlementNo": .string(settlementNo), "outcome": "succeeded",
                    "gatewayTransactionId": .string("GW-\(settlementNo.suffix(5))"), "capturedAmountYen": .int(amount),
                ])
            #expect(paid.status == .ok, "\(paid.jsonLine)")
            let statement = try await ledger.test.store.readWholeStream(StreamName("payment-\(settlementNo)")!)
                .first { $0.eventType == StatementIssued.eventType }
            let issued = try JSONCoding.decoder.decode(
                StatementIssued.self, from: Data(try #require(statement).data.utf8))
            #expect(issued.kind == .couponPurchase)
            #expect(issued.content == "クーポン購入")
            #expect(issued.taxableAmountYen.value == taxable && issued.consumptionTaxYen.value == tax)
            #expect(try await ledger.company().available.value == coupons)
        }
    }

    @Test("EX-8: the 2026-04-01 tariff; no 30-pack for non-members")
    func ex8() async throws {
        for (membership, lines, expected) in [
            ("member", [("M1", Int64(1))], Int64(1210)), ("member", [("M30", 1)], 35090),
            ("member", [("M30", 1), ("M1", 2)], 37510), ("nonMember", [("N1", 3)], 10890),
            ("nonMember", [("M30", 1)], -1),
        ] {
            let ledger = try await LedgerFixture.make()
            try await ledger.setUp(membership: membership)
            try await ledger.loadAccounts()
            let placed = await ledger.run(
                "PlaceCouponOrder", LedgerFixture.ichiro, at: "2026-04-02T10:00:00+09:00",
                Self.order("bankTransfer", lines))
            if expected < 0 {
                #expect(placed.error?.code == .unknownProduct)
            } else {
                #expect(placed.result?["amountYen"] == .int(expected), "\(placed.jsonLine)")
            }
        }
    }

    @Test("EX-17: a company allowed only bank transfer cannot buy coupons by card")
    func ex17() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp(methods: ["bankTransfer"])
        try await ledger.loadAccounts()
        let card = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.ichiro, at: "2026-04-02T10:00:00+09:00",
            Self.order("card", [("M1", 1)]))
        #expect(card.error?.code == .paymentMethodNotAllowed)
        let bank = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.ichiro, at: "2026-04-02T10:00:00+09:00",
            Self.order("bankTransfer", [("M1", 1)]))
        #expect(bank.status == .ok)
    }

    @Test("I14: every order gets its own virtual account; an empty pool refuses the order")
    func accountsUsedOnce() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts(1)
        let first = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2026-04-02T10:00:00+09:00",
            Self.order("bankTransfer", [("M1", 1)]))
        _ = await ledger.run(
            "CancelCouponOrder", LedgerFixture.jiro, at: "2026-04-02T10:01:00+09:00",
            ["orderNo": try #require(first.result?["orderNo"])])
        let second = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2026-04-02T10:02:00+09:00",
            Self.order("bankTransfer", [("M1", 1)]))
        #expect(second.error?.code == .noVirtualAccountAvailable)
        // A re-delivered deposit (same id, same details) is a no-op (I20).
        #expect(await deposit(ledger, id: "D1", amount: 1210, on: "2026-04-02").status == .ok)
        #expect(await deposit(ledger, id: "D1", amount: 1210, on: "2026-04-02").status == .exists)
        let other = await deposit(ledger, id: "D1", amount: 999, on: "2026-04-02")
        #expect(other.error?.code == .existsWithDifferentPayload)
    }
}

extension CouponOrderExamplesTests {
    @Test("EX-16: with 0 available and 11 pending, a coupon application is refused; by card it is accepted")
    func ex16() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts()
        _ = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2025-05-22T10:02:00+09:00",
            Self.order("bankTransfer", [("P11", 1)]))
        let refused = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro, at: "2025-05-22T10:03:00+09:00",
            LedgerFixture.application("000099992", date: "2025-05-22"))
        #expect(refused.error?.code == .insufficientCoupons)
        #expect(refused.error?.details["pending"] == 11)
        let card = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro, at: "2025-05-22T10:04:00+09:00",
            LedgerFixture.application("000099992", method: "card", date: "2025-05-22"))
        #expect(card.status == .ok)
        #expect(try await ledger.auditFailures().isEmpty)
    }
}
