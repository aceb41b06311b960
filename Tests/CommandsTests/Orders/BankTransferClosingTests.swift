import Foundation
import Testing

@testable import Commands
@testable import Domain

/// Bank-transfer orders that close without a clean deposit: expiry (O10), cancellation (9g),
/// deposits after closing or into a used account (Q38, O14), and the checks' refusals.
@Suite("Bank-transfer coupon orders: expiry, cancellation, late and repeat deposits")
struct BankTransferClosingTests {
    typealias F = OrderFixture

    @Test(
        "9f expiry: the run covering 2024-02-18 finds nothing; the next run expires; a deposit on 02-20 is refunded in full"
    )
    func ex9fExpiry() throws {
        var (world, orderNo) = try BankTransferOrderTests.ex9()
        let lastDay = try BankTransferOrderTests.nightly(&world, orderNo, date: "2024-02-18", deposits: [])
        #expect(lastDay.orderTypes == ["BankDepositChecked"])
        #expect(lastDay.checks.first?.found == false)
        #expect(world.order(orderNo).status == .awaitingTransfer)
        #expect(world.order(orderNo).nightlyCoveredThrough == F.date("2024-02-18"))

        let next = try BankTransferOrderTests.nightly(&world, orderNo, date: "2024-02-19", deposits: [])
        #expect(next.orderTypes == ["BankDepositChecked", "CouponOrderExpired"])
        #expect(next.companyTypes == ["CouponPurchaseClosed"])
        #expect(next.closed?.outcome == .expired)
        #expect(
            next.order.contains(
                .expired(
                    CouponOrderExpired(
                        orderNo: orderNo, validUntil: F.date("2024-02-18"), expiredAt: F.at("2024-02-19 23:30:00")))))
        #expect(world.company.pending == 0 && world.company.openPurchase == nil)
        #expect(world.order(orderNo).status == .expired)

        let late = try BankTransferOrderTests.nightly(
            &world, orderNo, date: "2024-02-20", deposits: [F.deposit("dep-late", 13_200, on: "2024-02-20")])
        #expect(late.orderTypes == ["BankDepositReceived", "RefundBecameDue"])
        #expect(late.company.isEmpty, "no coupons after close (I9)")
        #expect(late.received.first?.acceptedForOrder == false)
        #expect(late.orderRefunds.first?.reason == .depositAfterClose)
        #expect(late.orderRefunds.first?.basisYen == 13_200)
        #expect(late.orderRefunds.first?.costsDeductible == false)
        #expect(world.order(orderNo).status == .expired)
        #expect(
            try BankTransferOrderTests.nightly(
                &world, orderNo, date: "2024-02-21", deposits: [F.deposit("dep-late", 13_200, on: "2024-02-20")]
            )
            .isEmpty, "a deposit is recorded once (I20)")
    }

    @Test("Q12: a deposit credited on validUntil is accepted even when the run that finds it is later")
    func creditedOnLastDay() throws {
        var (world, orderNo) = try BankTransferOrderTests.ex9()
        let check = try BankTransferOrderTests.nightly(
            &world, orderNo, date: "2024-02-19",
            deposits: [F.deposit("dep-last", 13_200, on: "2024-02-18")])
        #expect(check.received.first?.acceptedForOrder == true)
        #expect(check.received.first?.scheduledIssueDate == F.date("2024-02-20"))
        #expect(world.order(orderNo).status == .depositConfirmed)
    }

    @Test("O10 + O14 in one run: a deposit credited after validUntil on an open order expires it and is refunded")
    func creditedAfterValidity() throws {
        var (world, orderNo) = try BankTransferOrderTests.ex9()
        let check = try BankTransferOrderTests.nightly(
            &world, orderNo, date: "2024-02-19",
            deposits: [F.deposit("dep-after", 13_200, on: "2024-02-19")])
        #expect(
            check.orderTypes == ["BankDepositChecked", "CouponOrderExpired", "BankDepositReceived", "RefundBecameDue"])
        #expect(check.closed?.outcome == .expired)
        #expect(check.orderRefunds.first?.reason == .depositAfterClose)
        #expect(check.issued == nil)
    }

    @Test(
        "SweepDeadlines expires only after the nightly run covering validUntil, and not over an unseen in-time deposit")
    func expirySweep() throws {
        var (world, orderNo) = try BankTransferOrderTests.ex9()
        let sweep = { (world: OrderWorld, time: String, deposits: [BankDeposit]) in
            CouponOrderExpirySweep.decide(world.order(orderNo), world.company, deposits: deposits, now: F.at(time))
        }
        #expect(sweep(world, "2024-02-19 00:05:00", []).isEmpty, "no nightly run covered 2024-02-18")
        _ = try BankTransferOrderTests.nightly(&world, orderNo, date: "2024-02-18", deposits: [])
        #expect(sweep(world, "2024-02-18 23:45:00", []).isEmpty, "validUntil is inclusive")
        #expect(
            sweep(world, "2024-02-19 00:05:00", [F.deposit("dep-x", 13_200, on: "2024-02-18")]).isEmpty,
            "a deposit credited by validUntil is waiting for a check")
        let expired = sweep(world, "2024-02-19 00:05:00", [F.deposit("dep-y", 13_200, on: "2024-02-19")])
        #expect(expired.orderTypes == ["CouponOrderExpired"])
        #expect(expired.companyTypes == ["CouponPurchaseClosed"])
        world.apply(expired, orderNo: orderNo)
        #expect(world.order(orderNo).status == .expired)
        #expect(sweep(world, "2024-02-19 00:10:00", []).isEmpty, "already expired")
    }

    @Test("Manual check after validUntil expires the order only once a nightly run covered validUntil")
    func manualAfterValidity() throws {
        var (world, orderNo) = try BankTransferOrderTests.ex9()
        let early = try BankTransferOrderTests.manual(
            &world, orderNo, at: "2024-02-19 09:00:00", deposits: [F.deposit("dep-z", 13_200, on: "2024-02-19")])
        #expect(early.orderTypes == ["BankDepositChecked"])
        #expect(early.checks.first?.found == false)
        _ = try BankTransferOrderTests.nightly(&world, orderNo, date: "2024-02-18", deposits: [])
        let due = try BankTransferOrderTests.manual(
            &world, orderNo, at: "2024-02-19 09:30:00", deposits: [F.deposit("dep-z", 13_200, on: "2024-02-19")])
        #expect(
            due.orderTypes == ["BankDepositChecked", "CouponOrderExpired", "BankDepositReceived", "RefundBecameDue"])
        #expect(due.orderRefunds.first?.reason == .depositAfterClose)
    }

    @Test("9g cancel: by the buyer, by another user of the company, by chamber staff; lock released")
    func ex9gCancel() throws {
        let actors: [(CouponOrderActor, CouponOrderCanceller, String)] = [
            (.companyUser(F.jiro, tradeRegNo: F.tradeRegNo), .buyer, "jiro"),
            (.companyUser(F.taro, tradeRegNo: F.tradeRegNo), .companyUser, "taro"),
            (.chamberStaff(F.staff), .chamber, F.staff.stringValue),
        ]
        for (actor, by, id) in actors {
            var (world, orderNo) = try BankTransferOrderTests.ex9()
            let decision = try CancelCouponOrder(orderNo: orderNo, reason: "内容修正").decide(
                world.order(orderNo), world.company, payment: nil, actor: actor, now: F.at("2024-01-20 11:00:00"))
            #expect(
                decision.order == [.cancelled(CouponOrderCancelled(orderNo: orderNo, by: by, byId: id, reason: "内容修正"))]
            )
            #expect(decision.company == [.purchaseClosed(CouponPurchaseClosed(orderNo: orderNo, outcome: .cancelled))])
            #expect(decision.payment.isEmpty)
            world.apply(decision, orderNo: orderNo)
            #expect(world.company.pending == 0 && world.company.openPurchase == nil)
            #expect(world.order(orderNo).status == .cancelled)
            let twice = F.rejection {
                try CancelCouponOrder(orderNo: orderNo).decide(
                    world.order(orderNo), world.company, payment: nil, actor: actor,
                    now: F.at("2024-01-20 11:01:00"))
            }
            #expect(twice?.code == .wrongState)
            #expect(twice?.details["state"] == .string("cancelled"))
        }
    }

    @Test("Cancel is refused for another company's user, an unknown order and a confirmed deposit")
    func cancelRefusals() throws {
        var (world, orderNo) = try BankTransferOrderTests.ex9()
        let stranger = F.rejection {
            try CancelCouponOrder(orderNo: orderNo).decide(
                world.order(orderNo), world.company, payment: nil,
                actor: .companyUser(F.user("someone"), tradeRegNo: F.otherTradeRegNo), now: F.at("2024-01-20 11:00:00"))
        }
        #expect(stranger?.code == .forbidden)
        let unknown = F.rejection {
            try CancelCouponOrder(orderNo: orderNo).decide(
                CouponOrderState(), world.company, payment: nil, actor: .chamberStaff(F.staff),
                now: F.at("2024-01-20 11:00:00"))
        }
        #expect(unknown?.code == .unknownOrder)
        _ = try BankTransferOrderTests.nightly(
            &world, orderNo, date: "2024-01-22", deposits: [F.deposit("dep-1", 13_200, on: "2024-01-22")])
        let confirmed = F.rejection {
            try CancelCouponOrder(orderNo: orderNo).decide(
                world.order(orderNo), world.company, payment: nil,
                actor: .companyUser(F.jiro, tradeRegNo: F.tradeRegNo),
                now: F.at("2024-01-23 01:00:00"))
        }
        #expect(confirmed?.code == .wrongState)
        #expect(confirmed?.details["state"] == .string("depositConfirmed"))
    }

    @Test("Q38: a transfer arriving after the buyer cancelled is refunded in full (depositAfterClose)")
    func depositAfterCancel() throws {
        var (world, orderNo) = try BankTransferOrderTests.ex9()
        world.apply(
            try CancelCouponOrder(orderNo: orderNo).decide(
                world.order(orderNo), world.company, payment: nil,
                actor: .companyUser(F.jiro, tradeRegNo: F.tradeRegNo),
                now: F.at("2024-01-20 11:00:00")), orderNo: orderNo)
        let check = try BankTransferOrderTests.nightly(
            &world, orderNo, date: "2024-01-22", deposits: [F.deposit("dep-1", 13_200, on: "2024-01-22")])
        #expect(check.orderTypes == ["BankDepositReceived", "RefundBecameDue"])
        #expect(check.orderRefunds.first?.reason == .depositAfterClose)
        #expect(check.orderRefunds.first?.basisYen == 13_200)
        let manual = F.rejection {
            try CheckDepositManually(orderNo: orderNo).decide(
                world.order(orderNo), world.company, deposits: [],
                refundIds: [], staff: F.staff, calendar: .japan, now: F.at("2024-01-23 10:00:00"))
        }
        #expect(manual?.code == .wrongState)
    }

    @Test("O14: a second deposit into a used account is a repeat deposit, refunded in full")
    func repeatDeposits() throws {
        // Two deposits found by the same run: the first (oldest) pays, the second is a repeat.
        var (world, orderNo) = try BankTransferOrderTests.ex9()
        let both = try BankTransferOrderTests.nightly(
            &world, orderNo, date: "2024-01-22",
            deposits: [
                F.deposit("dep-b", 5_000, on: "2024-01-22"), F.deposit("dep-a", 13_200, on: "2024-01-21"),
            ])
        #expect(
            both.orderTypes == ["BankDepositChecked", "BankDepositReceived", "BankDepositReceived", "RefundBecameDue"])
        #expect(both.received.map(\.depositId) == [F.depositId("dep-a"), F.depositId("dep-b")])
        #expect(both.received.map(\.acceptedForOrder) == [true, false])
        #expect(both.orderRefunds.map(\.reason) == [.repeatDeposit])
        #expect(both.orderRefunds.map(\.basisYen) == [5_000])
        // After fulfilment, a further deposit is a repeat too.
        _ = try BankTransferOrderTests.issue(&world, orderNo, on: "2024-01-23")
        let after = try BankTransferOrderTests.nightly(
            &world, orderNo, date: "2024-01-24", deposits: [F.deposit("dep-c", 13_200, on: "2024-01-24")],
            refundBase: 300)
        #expect(after.orderRefunds.map(\.reason) == [.repeatDeposit])
        #expect(after.company.isEmpty)
        #expect(world.company.available == 40, "coupons issued once (I9)")
        // A deposit into another account is not this order's.
        #expect(
            try BankTransferOrderTests.nightly(
                &world, orderNo, date: "2024-01-25",
                deposits: [F.deposit("dep-other", 13_200, on: "2024-01-25", account: "1234567")]
            ).isEmpty)
    }

    @Test("An underpayment followed by a top-up: the top-up is refunded too (no topping up, Q11 a)")
    func noTopUp() throws {
        var (world, orderNo) = try BankTransferOrderTests.ex9()
        let check = try BankTransferOrderTests.nightly(
            &world, orderNo, date: "2024-01-22",
            deposits: [
                F.deposit("dep-1", 6_600, on: "2024-01-22"), F.deposit("dep-2", 6_600, on: "2024-01-22"),
            ])
        #expect(check.orderRefunds.map(\.reason) == [.underpayment, .depositAfterClose])
        #expect(check.orderRefunds.map(\.basisYen) == [6_600, 6_600])
        #expect(world.order(orderNo).status == .closedUnderpaid)
    }

    @Test("9h two checks without a deposit: both recorded, the screen shows the latest")
    func ex9hTwoChecks() throws {
        var (world, orderNo) = try BankTransferOrderTests.ex9()
        _ = try BankTransferOrderTests.manual(&world, orderNo, at: "2024-02-01 16:34:48", deposits: [])
        _ = try BankTransferOrderTests.manual(&world, orderNo, at: "2024-02-01 16:48:11", deposits: [])
        #expect(world.order(orderNo).lastCheck?.checkedAt == F.at("2024-02-01 16:48:11"))
        #expect(world.order(orderNo).lastCheck?.found == false)
        #expect(world.order(orderNo).status == .awaitingTransfer)
    }

    @Test("Nightly and manual refusals: future date, unknown order, missing refund ids, issuing ahead of time")
    func checkRefusals() throws {
        let (world, orderNo) = try BankTransferOrderTests.ex9()
        let future = F.rejection {
            try RunNightlyDepositCheck(businessDate: F.date("2024-01-23")).decide(
                world.order(orderNo), world.company, deposits: [], refundIds: [], calendar: .japan,
                now: F.at("2024-01-22 23:30:00"))
        }
        #expect(future?.details["field"] == .string("businessDate"))
        let unknown = F.rejection {
            try CheckDepositManually(orderNo: orderNo).decide(
                CouponOrderState(), world.company, deposits: [], refundIds: [],
                staff: F.staff, calendar: .japan, now: F.at("2024-01-22 10:00:00"))
        }
        #expect(unknown?.code == .unknownOrder)
        let noIds = F.rejection {
            try RunNightlyDepositCheck(businessDate: F.date("2024-01-22")).decide(
                world.order(orderNo), world.company, deposits: [F.deposit("dep-over", 14_000, on: "2024-01-22")],
                refundIds: [],
                calendar: .japan, now: F.at("2024-01-22 23:30:00"))
        }
        #expect(noIds?.details["field"] == .string("refundIds"))
        #expect(
            F.rejection {
                try IssueScheduledCoupons(date: F.date("2024-01-24")).decide(
                    world.order(orderNo), world.company, calendar: .japan,
                    now: F.at("2024-01-23 10:00:00"))
            }?.details["field"] == .string("date"))

    }

    @Test("A card order has no deposit to check")
    func cardOrderNotChecked() throws {
        var world = OrderWorld()
        let card = try world.place(F.place(.card, [F.line("ten-pack", 1)]), at: F.at("2024-01-19 10:00:00"))
        let orderNo = card.placed!.orderNo
        let manual = F.rejection {
            try CheckDepositManually(orderNo: orderNo).decide(
                world.order(orderNo), world.company, deposits: [], refundIds: [],
                staff: F.staff, calendar: .japan, now: F.at("2024-01-19 11:00:00"))
        }
        #expect(manual?.code == .wrongState)
        #expect(
            try RunNightlyDepositCheck(businessDate: F.date("2024-01-19")).decide(
                world.order(orderNo), world.company, deposits: [], refundIds: [], calendar: .japan,
                now: F.at("2024-01-19 23:30:00")
            )
            .isEmpty)
    }
}
