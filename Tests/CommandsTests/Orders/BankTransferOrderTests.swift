import Foundation
import Testing

@testable import Commands
@testable import Domain

/// Goal: the bank-transfer life of EX-9 and its variants: nightly check and next-business-day
/// issuance (R49, I21), manual same-day issuance (R50), over- and underpayment (R53, R54),
/// expiry after 30 days (R51, Q12), cancellation (R52), deposits after close (R56, O14), and
/// the refunds (F1, F2, I12).
@Suite("Bank-transfer coupon orders (EX-9 a-h, O3-O10, O14)")
struct BankTransferOrderTests {
    typealias F = OrderFixture

    static let placedAt = F.at("2024-01-19 10:00:00")

    /// EX-9: jiro's order 202401198888000004000001 for 4 × 3,300 = 13,200 (40 coupons).
    static func ex9() throws -> (OrderWorld, OrderNo) {
        var world = OrderWorld()
        let decision = try world.place(F.place(.bankTransfer, [F.line("ten-pack", 4)]), by: F.jiro, at: placedAt)
        return (world, decision.placed!.orderNo)
    }

    static func nightly(
        _ world: inout OrderWorld, _ orderNo: OrderNo, date: String, deposits: [BankDeposit], refundBase: Int = 100
    ) throws(Rejection) -> CouponOrderDecision {
        let decision = try RunNightlyDepositCheck(businessDate: F.date(date)).decide(
            world.order(orderNo), world.company, deposits: deposits, refundIds: F.refundIds(refundBase),
            calendar: .japan, now: F.at("\(date) 23:30:00"))
        world.apply(decision, orderNo: orderNo)
        return decision
    }

    static func issue(_ world: inout OrderWorld, _ orderNo: OrderNo, on date: String) throws(Rejection)
        -> CouponOrderDecision
    {
        let decision = try IssueScheduledCoupons(date: F.date(date)).decide(
            world.order(orderNo), world.company, calendar: .japan, now: F.at("\(date) 06:00:00"))
        world.apply(decision, orderNo: orderNo)
        return decision
    }

    static func manual(
        _ world: inout OrderWorld, _ orderNo: OrderNo, at time: String, deposits: [BankDeposit], refundBase: Int = 200
    ) throws(Rejection) -> CouponOrderDecision {
        let decision = try CheckDepositManually(orderNo: orderNo).decide(
            world.order(orderNo), world.company, deposits: deposits, refundIds: F.refundIds(refundBase), staff: F.staff,
            calendar: .japan, now: F.at(time))
        world.apply(decision, orderNo: orderNo)
        return decision
    }

    @Test("9a exact deposit Mon 2024-01-22: nightly schedules Tue 2024-01-23; issued then (+40, pending 0)")
    func ex9aNightly() throws {
        var (world, orderNo) = try Self.ex9()
        let check = try Self.nightly(
            &world, orderNo, date: "2024-01-22", deposits: [F.deposit("dep-1", 13_200, on: "2024-01-22")])
        #expect(check.orderTypes == ["BankDepositChecked", "BankDepositReceived"])
        #expect(check.company.isEmpty, "coupons stay pending until the scheduled date")
        let checked = try #require(check.checks.first)
        #expect(checked.trigger == .nightly && checked.found && checked.staffId == nil)
        #expect(checked.businessDate == F.date("2024-01-22"))
        let received = try #require(check.received.first)
        #expect(received.amountYen == 13_200)
        #expect(received.deltaYen == 0)
        #expect(received.acceptedForOrder)
        #expect(received.detectedBy == .nightly)
        #expect(received.scheduledIssueDate == F.date("2024-01-23"))
        #expect(F.string(check.result["scheduledIssueDate"]) == "2024-01-23")
        #expect(world.order(orderNo).status == .depositConfirmed)
        #expect(world.company.pending == 40 && world.company.available == 0)

        #expect(try Self.issue(&world, orderNo, on: "2024-01-22").isEmpty, "not due before the scheduled date")
        let issue = try Self.issue(&world, orderNo, on: "2024-01-23")
        #expect(issue.orderTypes == ["CouponOrderFulfilled"])
        #expect(issue.companyTypes == ["CouponsIssued", "CouponPurchaseClosed"])
        #expect(
            issue.issued
                == CouponsIssued(
                    orderNo: orderNo, coupons: 40, amountYen: 13_200, paymentMethod: .bankTransfer, trigger: .nightly,
                    staffId: nil,
                    issueDate: F.date("2024-01-23"), balanceAfter: 40, pendingAfter: 0))
        #expect(
            issue.fulfilled
                == CouponOrderFulfilled(
                    orderNo: orderNo, coupons: 40, settledAmountYen: 13_200, confirmationDate: F.date("2024-01-23"),
                    settlementNo: nil, late: false))
        #expect(issue.closed?.outcome == .fulfilled)
        #expect(world.company.available == 40 && world.company.pending == 0 && world.company.openPurchase == nil)
        #expect(world.order(orderNo).status == .fulfilled)
        #expect(try Self.issue(&world, orderNo, on: "2024-01-24").isEmpty, "issued once (I9)")
    }

    /// R49, I21: (deposit date = night covered, scheduled issue date).
    static let schedules: [(String, String)] = [
        ("2024-01-22", "2024-01-23"),  // 9a: Mon → Tue
        ("2024-01-26", "2024-01-29"),  // 9b: Fri → Mon
        ("2024-01-27", "2024-01-29"),  // a Saturday deposit, the Saturday night run → Mon
        ("2024-02-09", "2024-02-13"),  // Fri before 振替休日 Mon 2024-02-12 → Tue
    ]

    @Test("Nightly scheduling: the next business day after the covered date", arguments: schedules)
    func schedule(_ row: (String, String)) throws {
        var (world, orderNo) = try Self.ex9()
        let check = try Self.nightly(&world, orderNo, date: row.0, deposits: [F.deposit("dep-s", 13_200, on: row.0)])
        #expect(check.received.first?.scheduledIssueDate == F.date(row.1))
    }

    @Test("9b Friday deposit: nothing is issued over the weekend, Monday issues")
    func ex9bFriday() throws {
        var (world, orderNo) = try Self.ex9()
        _ = try Self.nightly(
            &world, orderNo, date: "2024-01-26", deposits: [F.deposit("dep-fri", 13_200, on: "2024-01-26")])
        #expect(try Self.issue(&world, orderNo, on: "2024-01-27").isEmpty, "Saturday")
        #expect(try Self.issue(&world, orderNo, on: "2024-01-28").isEmpty, "Sunday")
        let monday = try Self.issue(&world, orderNo, on: "2024-01-29")
        #expect(monday.issued?.issueDate == F.date("2024-01-29"))
        #expect(monday.fulfilled?.confirmationDate == F.date("2024-01-29"))
        // I21: a run missed on the scheduled day still issues later (issueDate ≥ scheduledIssueDate).
        var (late, lateOrder) = try Self.ex9()
        _ = try Self.nightly(
            &late, lateOrder, date: "2024-01-26", deposits: [F.deposit("dep-fri", 13_200, on: "2024-01-26")])
        #expect(try Self.issue(&late, lateOrder, on: "2024-01-30").issued?.issueDate == F.date("2024-01-30"))
        _ = lateOrder
    }

    @Test("9c manual check at 14:00 on the deposit day issues the same day (trigger manual, staffId)")
    func ex9cManual() throws {
        var (world, orderNo) = try Self.ex9()
        let decision = try Self.manual(
            &world, orderNo, at: "2024-01-22 14:00:00",
            deposits: [F.deposit("dep-1", 13_200, on: "2024-01-22")])
        #expect(decision.orderTypes == ["BankDepositChecked", "BankDepositReceived", "CouponOrderFulfilled"])
        #expect(decision.companyTypes == ["CouponsIssued", "CouponPurchaseClosed"])
        #expect(decision.checks.first?.trigger == .manual)
        #expect(decision.checks.first?.staffId == F.staff)
        #expect(decision.checks.first?.businessDate == nil)
        #expect(decision.received.first?.detectedBy == .manual)
        #expect(decision.received.first?.scheduledIssueDate == nil)
        #expect(
            decision.issued
                == CouponsIssued(
                    orderNo: orderNo, coupons: 40, amountYen: 13_200, paymentMethod: .bankTransfer, trigger: .manual,
                    staffId: F.staff, issueDate: F.date("2024-01-22"), balanceAfter: 40, pendingAfter: 0))
        #expect(decision.fulfilled?.confirmationDate == F.date("2024-01-22"))
        #expect(world.order(orderNo).lastCheck?.checkedAt == F.at("2024-01-22 14:00:00"))
        #expect(world.company.available == 40 && world.company.pending == 0 && world.company.openPurchase == nil)
        #expect(F.bool(decision.result["found"]) == true)
        #expect(F.int(decision.result["balanceAfter"]) == 40)
    }

    @Test("Manual check with no deposit records the check only; a later manual check issues (O3, O6)")
    func manualNotFound() throws {
        var (world, orderNo) = try Self.ex9()
        let none = try Self.manual(&world, orderNo, at: "2024-01-20 09:00:00", deposits: [])
        #expect(none.orderTypes == ["BankDepositChecked"])
        #expect(none.checks.first?.found == false)
        #expect(world.order(orderNo).status == .awaitingTransfer)
        // A deposit credited in the future relative to the check is not seen yet.
        let future = try Self.manual(
            &world, orderNo, at: "2024-01-21 09:00:00",
            deposits: [F.deposit("dep-1", 13_200, on: "2024-01-22")])
        #expect(future.checks.first?.found == false)
    }

    @Test("O7: staff issue a DepositConfirmed order before its scheduled date")
    func manualAfterNightly() throws {
        var (world, orderNo) = try Self.ex9()
        _ = try Self.nightly(
            &world, orderNo, date: "2024-01-26", deposits: [F.deposit("dep-1", 13_200, on: "2024-01-26")])
        let decision = try Self.manual(
            &world, orderNo, at: "2024-01-27 10:00:00",
            deposits: [F.deposit("dep-1", 13_200, on: "2024-01-26")])
        #expect(decision.orderTypes == ["BankDepositChecked", "CouponOrderFulfilled"])
        #expect(decision.issued?.trigger == .manual)
        #expect(decision.issued?.issueDate == F.date("2024-01-27"))
        #expect(world.company.available == 40)
        #expect(try Self.issue(&world, orderNo, on: "2024-01-29").isEmpty, "the scheduled run finds nothing left")
    }

    @Test("9d overpayment 14,000: coupons issued, refund of 800 with costs deductible; 655 + 145 recorded")
    func ex9dOverpayment() throws {
        var (world, orderNo) = try Self.ex9()
        let check = try Self.nightly(
            &world, orderNo, date: "2024-01-22", deposits: [F.deposit("dep-over", 14_000, on: "2024-01-22")])
        #expect(check.orderTypes == ["BankDepositChecked", "BankDepositReceived", "RefundBecameDue"])
        #expect(check.received.first?.deltaYen == 800)
        #expect(check.received.first?.acceptedForOrder == true)
        let refund = try #require(check.orderRefunds.first)
        #expect(refund.reason == .overpayment)
        #expect(refund.basisYen == 800)
        #expect(refund.costsDeductible)
        #expect(refund.depositId == F.depositId("dep-over"))
        #expect(refund.tradeRegNo == F.tradeRegNo)
        #expect(refund.refundingChamberId == F.chamber)
        let issue = try Self.issue(&world, orderNo, on: "2024-01-23")
        #expect(issue.issued?.coupons == 40)
        #expect(issue.fulfilled?.settledAmountYen == 13_200, "支払金額 13,200 (Q22)")

        let recorded = try RecordRefund(
            refundId: refund.refundId, paidYen: 655, deductedCostsYen: 145, paidOn: F.date("2024-02-01"),
            method: .bankTransfer
        ).decide(world.order(orderNo), staff: F.staff, today: F.date("2024-02-01"))
        #expect(
            recorded.order == [
                .refundRecorded(
                    RefundRecorded(
                        refundId: refund.refundId, paidYen: 655, deductedCostsYen: 145, paidOn: F.date("2024-02-01"),
                        staffId: F.staff,
                        method: .bankTransfer, reference: nil))
            ])
        world.apply(recorded, orderNo: orderNo)
        let twice = F.rejection {
            try RecordRefund(
                refundId: refund.refundId, paidYen: 655, deductedCostsYen: 145, paidOn: F.date("2024-02-01"),
                method: .bankTransfer
            ).decide(world.order(orderNo), staff: F.staff, today: F.date("2024-02-02"))
        }
        #expect(twice?.code == .wrongState)
        #expect(twice?.details["state"] == .string("settled"))
    }

    /// F2: (case, paid, costs, code). The 800-yen overpayment refund of 9d.
    static let refundAmounts: [(String, Int64, Int64, RejectionCode?)] = [
        ("655 + 145 = 800", 655, 145, nil),
        ("800 + 0", 800, 0, nil),
        ("0 + 800 (all costs)", 0, 800, nil),
        ("700 + 145 ≠ 800", 700, 145, .amountMismatch),
        ("800 + 1 ≠ 800", 800, 1, .amountMismatch),
    ]

    @Test("F2: paid + costs must equal the basis", arguments: refundAmounts)
    func refundArithmetic(_ row: (String, Int64, Int64, RejectionCode?)) throws {
        var (world, orderNo) = try Self.ex9()
        let check = try Self.nightly(
            &world, orderNo, date: "2024-01-22", deposits: [F.deposit("dep-over", 14_000, on: "2024-01-22")])
        let command = RecordRefund(
            refundId: check.orderRefunds[0].refundId, paidYen: Yen(exactly: row.1)!,
            deductedCostsYen: Yen(exactly: row.2)!, paidOn: F.date("2024-02-01"), method: .bankTransfer)
        do {
            let decision = try command.decide(world.order(orderNo), staff: F.staff, today: F.date("2024-02-01"))
            #expect(row.3 == nil, "\(row.0) was accepted")
            #expect(decision.order.count == 1)
        } catch {
            #expect(error.code == row.3, "\(row.0)")
        }
    }

    @Test("9e underpayment 12,980: closed, full refund without costs, lock released, the company may order again")
    func ex9eUnderpayment() throws {
        var (world, orderNo) = try Self.ex9()
        let check = try Self.nightly(
            &world, orderNo, date: "2024-01-22", deposits: [F.deposit("dep-under", 12_980, on: "2024-01-22")])
        #expect(
            check.orderTypes == [
                "BankDepositChecked", "BankDepositReceived", "CouponOrderClosedUnderpaid", "RefundBecameDue",
            ])
        #expect(check.companyTypes == ["CouponPurchaseClosed"])
        #expect(check.closed?.outcome == .underpaid)
        #expect(check.received.first?.deltaYen == -220)
        #expect(check.received.first?.acceptedForOrder == false)
        #expect(check.received.first?.scheduledIssueDate == nil)
        #expect(
            check.order.contains(
                .closedUnderpaid(
                    CouponOrderClosedUnderpaid(
                        orderNo: orderNo, depositId: F.depositId("dep-under"), receivedYen: 12_980,
                        orderAmountYen: 13_200))))
        let refund = try #require(check.orderRefunds.first)
        #expect(refund.reason == .underpayment && refund.basisYen == 12_980 && !refund.costsDeductible)
        #expect(check.issued == nil, "no coupons (I9)")
        #expect(world.company.pending == 0 && world.company.available == 0 && world.company.openPurchase == nil)
        #expect(world.order(orderNo).status == .closedUnderpaid)
        #expect(try Self.issue(&world, orderNo, on: "2024-01-23").isEmpty)

        let withCosts = F.rejection {
            try RecordRefund(
                refundId: refund.refundId, paidYen: 12_760, deductedCostsYen: 220, paidOn: F.date("2024-01-30"),
                method: .bankTransfer
            ).decide(world.order(orderNo), staff: F.staff, today: F.date("2024-01-30"))
        }
        #expect(withCosts?.code == .invalidCommand)
        #expect(withCosts?.details["field"] == .string("deductedCostsYen"))
        #expect(throws: Never.self) {
            try RecordRefund(
                refundId: refund.refundId, paidYen: 12_980, paidOn: F.date("2024-01-30"), method: .bankTransfer
            )
            .decide(world.order(orderNo), staff: F.staff, today: F.date("2024-01-30"))
        }
        let again = try world.place(
            F.place(.bankTransfer, [F.line("ten-pack", 4)]), by: F.taro, at: F.at("2024-01-23 09:00:00"))
        #expect(again.placed != nil)
    }

    @Test("RecordRefund refuses an unknown refund id and a payment date after today")
    func refundRefusals() throws {
        var (world, orderNo) = try Self.ex9()
        let check = try Self.nightly(
            &world, orderNo, date: "2024-01-22", deposits: [F.deposit("dep-over", 14_000, on: "2024-01-22")])
        let unknown = F.rejection {
            try RecordRefund(refundId: F.uuid(424_242), paidYen: 800, paidOn: F.date("2024-01-30"), method: .other)
                .decide(world.order(orderNo), staff: F.staff, today: F.date("2024-01-30"))
        }
        #expect(unknown?.code == .unknownRefund)
        let future = F.rejection {
            try RecordRefund(
                refundId: check.orderRefunds[0].refundId, paidYen: 800, paidOn: F.date("2024-01-31"), method: .other
            )
            .decide(world.order(orderNo), staff: F.staff, today: F.date("2024-01-30"))
        }
        #expect(future?.details["field"] == .string("paidOn"))
    }
}
