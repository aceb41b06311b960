import Foundation
import Testing

@testable import Commands
@testable import Domain

/// Goal: card coupon orders (O2, O11-O13, R58-R62): success issues coupons, the statement and
/// closes the lock in one decision; failure, timeout and abandonment close the order; a late
/// capture fulfils without the lock and keeps another open order's pending (I3); duplicate
/// captures, wrong amounts and contradictions are refused or refunded (R25, P2, I7, I20).
@Suite("Card coupon orders (EX-10, EX-12, EX-13, O11-O13)")
struct CardCouponOrderTests {
    typealias F = OrderFixture

    /// A card order of `quantity` × 1枚綴り (1,000円) by jiro at `time`.
    static func cardOrder(
        _ world: inout OrderWorld, quantity: Int32 = 2, by user: UserId = F.jiro,
        at time: String = "2025-05-22 10:00:00"
    ) throws -> (OrderNo, SettlementNo) {
        let decision = try world.place(F.place(.card, [F.line("one", quantity)]), by: user, at: F.at(time))
        return (decision.placed!.orderNo, decision.started!.settlementNo)
    }

    static func capture(
        _ world: inout OrderWorld, _ orderNo: OrderNo, _ settlementNo: SettlementNo, _ txn: String, amount: Int64,
        at time: String
    ) throws(Rejection) -> CouponOrderDecision {
        let now = F.at(time)
        let decision = try F.succeeded(settlementNo, txn, captured: amount).decideCouponOrder(
            world.payment(of: orderNo), order: world.order(orderNo), company: world.company,
            issueNumber: world.nextIssueNumber(now), refundId: F.uuid(500), now: now)
        world.apply(decision, orderNo: orderNo)
        return decision
    }

    @Test("EX-12 a card order of 2 × 1,000円 paid: available 24 → 26, the statement 2,000 = 1,819 + 181")
    func ex12CardSuccess() throws {
        var world = OrderWorld(company: F.company(available: 24), tariffs: F.catalogEX10)
        let (orderNo, settlementNo) = try Self.cardOrder(&world)
        #expect(world.payment(of: orderNo).started?.productLabel == "貿易関係証明発給システムクーポン2枚分")
        let decision = try Self.capture(&world, orderNo, settlementNo, "tx-1", amount: 2_000, at: "2025-05-22 10:02:00")
        #expect(decision.paymentTypes == ["PaymentAttemptSucceeded", "StatementIssued"])
        #expect(decision.orderTypes == ["CouponOrderFulfilled"])
        #expect(decision.companyTypes == ["CouponsIssued", "CouponPurchaseClosed"])

        let succeeded = try #require(decision.paymentSucceeded)
        #expect(succeeded.late == false && succeeded.capturedAmountYen == 2_000 && succeeded.paymentType == "lumpSum")
        #expect(succeeded.settlementDate == F.date("2025-05-22"))
        let statement = try #require(decision.statement)
        #expect(statement.kind == .couponPurchase)
        #expect(statement.content == "クーポン購入")
        #expect(statement.amountYen == 2_000)
        #expect(statement.consumptionTaxYen == 181)
        #expect(statement.taxableAmountYen == 1_819)
        #expect(statement.taxRatePercent == 10)
        #expect(statement.purchaseDescription == "1枚綴り(1,000円) × 2")
        #expect(statement.orderNo == orderNo)
        #expect(statement.payerUserId == F.jiro)
        #expect(statement.issueDate == F.date("2025-05-22") && statement.settlementDate == F.date("2025-05-22"))
        #expect(statement.issuerName == "日本商工会議所" && statement.issuerRegistrationNumber == "T5010005003975")
        #expect(
            statement.companyName == "日商テスト商事株式会社" && statement.address == "大阪府大阪市" && statement.department == "貿易課")
        #expect(statement.receptionNo == nil && statement.issuingChamberName == nil)
        #expect(decision.issueNumbersUsed == [statement.issueNumber])

        #expect(
            decision.fulfilled
                == CouponOrderFulfilled(
                    orderNo: orderNo, coupons: 2, settledAmountYen: 2_000, confirmationDate: F.date("2025-05-22"),
                    settlementNo: settlementNo, late: false))
        #expect(decision.issued?.trigger == .card)
        #expect(decision.issued?.balanceAfter == 26)
        #expect(decision.issued?.pendingAfter == 0)
        #expect(decision.closed?.outcome == .fulfilled)
        #expect(world.company.available == 26 && world.company.pending == 0 && world.company.openPurchase == nil)
        #expect(world.order(orderNo).status == .fulfilled)
        #expect(world.payment(of: orderNo).status == .succeeded)
    }

    @Test("EX-10 history: +1 by staff, a 5 × 1枚 card order → 6, a 1 × 11枚 bank order → pending 11, issued Fri → 17")
    func ex10() throws {
        var world = OrderWorld(tariffs: F.catalogEX10)
        world.company = CompanyState.evolve(
            world.company,
            .couponsAdjusted(
                try AdjustCoupons(
                    tradeRegNo: F.tradeRegNo, delta: SignedCount(exactly: 1)!, reason: "追加"
                ).decide(world.company, staff: F.staff, chamber: F.chamber, adjustmentId: F.uuid(1)).first.flatMap {
                    if case .couponsAdjusted(let e) = $0 { e } else { nil }
                }!))
        #expect(world.company.available == 1)

        let (cardNo, settlementNo) = try Self.cardOrder(&world, quantity: 5, at: "2025-05-22 10:00:30")
        let paid = try Self.capture(&world, cardNo, settlementNo, "tx-ex10", amount: 5_000, at: "2025-05-22 10:01:00")
        #expect(paid.issued?.balanceAfter == 6)
        #expect(paid.statement?.amountYen == 5_000)
        #expect(paid.statement?.taxableAmountYen == 4_546)
        #expect(paid.statement?.consumptionTaxYen == 454)

        let bank = try world.place(
            F.place(.bankTransfer, [F.line("eleven", 1)]), by: F.jiro, at: F.at("2025-05-22 10:02:00"))
        let bankNo = bank.placed!.orderNo
        #expect(bank.placed?.amountYen == 10_000)
        #expect(bank.placed?.taxableAmountYen == 9_091)
        #expect(bank.placed?.consumptionTaxYen == 909)
        #expect(world.company.available == 6, "現在のクーポン残高 6")
        #expect(world.company.pending == 11, "クーポン購入手続中 11")

        // EX-16: pending coupons cannot be used.
        var empty = world
        empty.company.available = 0
        let application = try JSONCoding.decoder.decode(
            SubmitApplication.self,
            from: Data(
                #"""
                {"receptionNo":"000099991","certificateKind":"originJapan","invoiceNumber":"inv-1","applicantName":"日商 一郎",
                 "applicationDate":"2025-05-22","issuanceChannel":"online","paymentMethod":"coupon"}
                """#.utf8))
        let refused = F.rejection {
            try application.decide(ApplicationState(), empty.company, tradeRegNo: F.tradeRegNo, user: F.ichiro)
        }
        #expect(refused?.code == .insufficientCoupons)
        #expect(refused?.details["available"] == .int(0))
        #expect(refused?.details["pending"] == .int(11))

        // Continuation: credited and found on Thu 2025-05-22, issued Fri 2025-05-23 → 17.
        let check = try RunNightlyDepositCheck(businessDate: F.date("2025-05-22")).decide(
            world.order(bankNo), world.company,
            deposits: [F.deposit("dep-ex10", 10_000, on: "2025-05-22", account: "6818564")],
            refundIds: F.refundIds(700), calendar: .japan, now: F.at("2025-05-22 23:30:00"))
        world.apply(check, orderNo: bankNo)
        #expect(check.received.first?.scheduledIssueDate == F.date("2025-05-23"))
        let issue = try IssueScheduledCoupons(date: F.date("2025-05-23")).decide(
            world.order(bankNo), world.company, calendar: .japan, now: F.at("2025-05-23 06:00:00"))
        world.apply(issue, orderNo: bankNo)
        #expect(issue.issued?.balanceAfter == 17)
        #expect(issue.issued?.pendingAfter == 0)
        #expect(world.company.available == 17 && world.company.pending == 0)

        // ichiro files with a coupon → 16 (the coupons are usable now).
        let filed = try application.decide(ApplicationState(), world.company, tradeRegNo: F.tradeRegNo, user: F.ichiro)
        #expect(filed.company.count == 1)
        if case .couponUsed(let used)? = filed.company.first { #expect(used.balanceAfter == 16) }
    }

    @Test("EX-13 90円 card order for 20 coupons, then another order of 10 open: balance 20, pending 10")
    func ex13() throws {
        var world = OrderWorld(
            company: F.company(F.otherTradeRegNo, companyName: "日本精工株式会社"),
            tariffs: F.tariffs([F.product("ten-45", "10枚綴りクーポン", .member, pack: 10, price: 45)]))
        let card = try world.place(
            F.place(.card, [F.line("ten-45", 2)]), by: F.jiro, at: F.at("2025-05-22 10:00:00"),
            tradeRegNo: F.otherTradeRegNo)
        let orderNo = card.placed!.orderNo
        let paid = try Self.capture(
            &world, orderNo, card.started!.settlementNo, "tx-90", amount: 90, at: "2025-05-22 10:01:00")
        #expect(paid.statement?.consumptionTaxYen == 8 && paid.statement?.taxableAmountYen == 82)
        #expect(paid.statement?.purchaseDescription == "10枚綴りクーポン(45円) × 2")
        #expect(paid.fulfilled?.confirmationDate == F.date("2025-05-22"), "購入日 = 決済日")
        #expect(world.company.available == 20)
        _ = try world.place(
            F.place(.bankTransfer, [F.line("ten-45", 1)]), by: F.taro, at: F.at("2025-05-22 10:03:00"),
            tradeRegNo: F.otherTradeRegNo)
        #expect(world.company.available == 20 && world.company.pending == 10)
    }

    /// O12: how the attempt ends, the payment event type, the cause.
    enum Ending: String, CaseIterable { case failed, timedOut, abandoned }

    static func end(
        _ ending: Ending, _ world: OrderWorld, _ orderNo: OrderNo, _ settlementNo: SettlementNo
    ) throws(Rejection) -> CouponOrderDecision {
        switch ending {
        case .failed:
            return try F.failed(settlementNo, "tx-f").decideCouponOrder(
                world.payment(of: orderNo), order: world.order(orderNo), company: world.company,
                issueNumber: IssueNumber(date: F.date("2025-05-22"), sequence: 1)!, refundId: F.uuid(1),
                now: F.at("2025-05-22 10:01:00"))
        case .timedOut:
            return try CouponOrderPaymentSweep.decide(
                world.payment(of: orderNo), order: world.order(orderNo), now: F.at("2025-05-22 10:07:00"),
                gatewayStatus: .notCaptured)
        case .abandoned:
            return try AbandonCardPayment(settlementNo: settlementNo).decideCouponOrder(
                world.payment(of: orderNo), order: world.order(orderNo), user: F.jiro, now: F.at("2025-05-22 10:06:00"))
        }
    }

    @Test(
        "O12 a failed, timed-out or abandoned attempt closes the order and releases the lock",
        arguments: Ending.allCases)
    func attemptEndsUnpaid(_ ending: Ending) throws {
        var world = OrderWorld(tariffs: F.catalogEX10)
        let (orderNo, settlementNo) = try Self.cardOrder(&world)
        #expect(world.company.pending == 2)
        let decision = try Self.end(ending, world, orderNo, settlementNo)
        let expectedType = [
            "failed": "PaymentAttemptFailed", "timedOut": "PaymentAttemptTimedOut",
            "abandoned": "PaymentAttemptAbandoned",
        ][ending.rawValue]!
        #expect(decision.paymentTypes == [expectedType])
        #expect(decision.orderTypes == ["CouponOrderPaymentFailed"])
        #expect(decision.companyTypes == ["CouponPurchaseClosed"])
        #expect(decision.closed?.outcome == .paymentFailed)
        #expect(decision.orderPaymentFailed?.cause.rawValue == ending.rawValue)
        #expect(decision.orderPaymentFailed?.settlementNo == settlementNo)
        #expect(
            decision.orderPaymentFailed?.errorCode
                == (ending == .failed ? try GatewayErrorCode(parsing: "E11310004") : nil))
        world.apply(decision, orderNo: orderNo)
        #expect(world.company.pending == 0 && world.company.openPurchase == nil && world.company.available == 0)
        #expect(world.order(orderNo).status == .paymentFailed)
        // The buyer places a new order (R62).
        #expect(throws: Never.self) { try Self.cardOrder(&world, at: "2025-05-22 10:10:00") }
    }

    @Test(
        "The sweep waits for deadline + 120 s; abandoning is for the payer only; a failure on an ended attempt is a no-op"
    )
    func endGuards() throws {
        var world = OrderWorld(tariffs: F.catalogEX10)
        let (orderNo, settlementNo) = try Self.cardOrder(&world)
        #expect(
            try CouponOrderPaymentSweep.decide(
                world.payment(of: orderNo), order: world.order(orderNo), now: F.at("2025-05-22 10:06:59"),
                gatewayStatus: .notCaptured
            ).isEmpty)
        let other = F.rejection {
            try AbandonCardPayment(settlementNo: settlementNo).decideCouponOrder(
                world.payment(of: orderNo), order: world.order(orderNo), user: F.taro, now: F.at("2025-05-22 10:02:00"))
        }
        #expect(other?.code == .forbidden)
        world.apply(try Self.end(.failed, world, orderNo, settlementNo), orderNo: orderNo)
        #expect(try Self.end(.failed, world, orderNo, settlementNo).isEmpty, "re-delivered failure")
        #expect(F.rejection { try Self.end(.abandoned, world, orderNo, settlementNo) }?.code == .wrongState)
        #expect(try Self.end(.timedOut, world, orderNo, settlementNo).isEmpty, "nothing left to sweep")
        let capture = try Self.capture(
            &world, orderNo, settlementNo, "tx-after-fail", amount: 2_000, at: "2025-05-22 10:08:00")
        #expect(capture.unfit?.reason == .attemptNoLongerOpen, "P6: a capture after a reported failure is for staff")
        #expect(capture.order.isEmpty && capture.company.isEmpty && capture.payment.isEmpty)
    }

    @Test("O13 a late capture after a timeout fulfils without the lock and keeps another open order's pending (I3)")
    func lateCaptureKeepsOtherPending() throws {
        var world = OrderWorld(tariffs: F.catalogEX10)
        let (orderNo, settlementNo) = try Self.cardOrder(&world, quantity: 2)
        world.apply(try Self.end(.timedOut, world, orderNo, settlementNo), orderNo: orderNo)
        let other = try world.place(
            F.place(.bankTransfer, [F.line("eleven", 1)]), by: F.taro, at: F.at("2025-05-22 10:07:30"))
        #expect(world.company.pending == 11)

        let late = try Self.capture(&world, orderNo, settlementNo, "tx-late", amount: 2_000, at: "2025-05-22 10:08:00")
        #expect(late.paymentTypes == ["PaymentAttemptSucceeded", "StatementIssued"])
        #expect(late.orderTypes == ["CouponOrderFulfilled"])
        #expect(late.companyTypes == ["CouponsIssued"], "the lock is not re-taken nor closed")
        #expect(late.paymentSucceeded?.late == true)
        #expect(late.fulfilled?.late == true)
        #expect(late.issued?.balanceAfter == 2)
        #expect(late.issued?.pendingAfter == 11)
        #expect(world.company.available == 2 && world.company.pending == 11)
        #expect(world.company.openPurchase?.orderNo == other.placed!.orderNo)
        #expect(world.order(orderNo).status == .fulfilled)
        #expect(F.bool(late.result["late"]) == true)
    }

    @Test(
        "Q40 cancelling a card order abandons the attempt (user) or leaves it to the sweeper (staff); a later capture is late"
    )
    func cancelCardOrder() throws {
        var world = OrderWorld(tariffs: F.catalogEX10)
        let (orderNo, settlementNo) = try Self.cardOrder(&world)
        let cancel = try CancelCouponOrder(orderNo: orderNo).decide(
            world.order(orderNo), world.company, payment: world.payment(of: orderNo),
            actor: .companyUser(F.jiro, tradeRegNo: F.tradeRegNo), now: F.at("2025-05-22 10:01:00"))
        #expect(cancel.orderTypes == ["CouponOrderCancelled"])
        #expect(cancel.companyTypes == ["CouponPurchaseClosed"])
        #expect(
            cancel.payment == [
                .abandoned(
                    PaymentAttemptAbandoned(
                        settlementNo: settlementNo, byUserId: F.jiro, abandonedAt: F.at("2025-05-22 10:01:00")))
            ])
        world.apply(cancel, orderNo: orderNo)
        let late = try Self.capture(&world, orderNo, settlementNo, "tx-late", amount: 2_000, at: "2025-05-22 10:03:00")
        #expect(late.paymentSucceeded?.late == true)
        #expect(late.fulfilled?.late == true)
        #expect(late.closed == nil)
        #expect(world.company.available == 2 && world.company.pending == 0)

        var staffWorld = OrderWorld(tariffs: F.catalogEX10)
        let (staffOrder, staffSettlement) = try Self.cardOrder(&staffWorld)
        let byStaff = try CancelCouponOrder(orderNo: staffOrder).decide(
            staffWorld.order(staffOrder), staffWorld.company, payment: staffWorld.payment(of: staffOrder),
            actor: .chamberStaff(F.staff), now: F.at("2025-05-22 10:01:00"))
        #expect(byStaff.payment.isEmpty)
        staffWorld.apply(byStaff, orderNo: staffOrder)
        // The attempt is still open: the sweeper times it out without touching the cancelled order.
        let swept = try CouponOrderPaymentSweep.decide(
            staffWorld.payment(of: staffOrder), order: staffWorld.order(staffOrder), now: F.at("2025-05-22 10:07:00"),
            gatewayStatus: .unreachable)
        #expect(swept.paymentTypes == ["PaymentAttemptTimedOut"])
        #expect(swept.order.isEmpty && swept.company.isEmpty)
        _ = staffSettlement
    }

    @Test("I20 / R25: the same capture again is a no-op; another capture of a paid order is a duplicate-capture refund")
    func duplicateCaptures() throws {
        var world = OrderWorld(tariffs: F.catalogEX10)
        let (orderNo, settlementNo) = try Self.cardOrder(&world)
        _ = try Self.capture(&world, orderNo, settlementNo, "tx-1", amount: 2_000, at: "2025-05-22 10:01:00")
        let again = try Self.capture(&world, orderNo, settlementNo, "tx-1", amount: 2_000, at: "2025-05-22 10:02:00")
        #expect(again.isEmpty)
        #expect(F.string(again.result["outcome"]) == "alreadyRecorded")
        let second = try Self.capture(&world, orderNo, settlementNo, "tx-2", amount: 2_000, at: "2025-05-22 10:03:00")
        #expect(second.paymentTypes == ["RefundBecameDue"])
        #expect(second.order.isEmpty && second.company.isEmpty)
        let refund = try #require(second.refundsDue.first)
        #expect(refund.reason == .duplicateCapture && refund.basisYen == 2_000 && !refund.costsDeductible)
        #expect(refund.settlementNo == settlementNo && refund.gatewayTransactionId == F.txn("tx-2"))
        #expect(world.company.available == 2, "coupons issued once (I9)")
        #expect(
            try Self.capture(&world, orderNo, settlementNo, "tx-2", amount: 2_000, at: "2025-05-22 10:04:00").isEmpty)
        // The duplicate-capture refund is recorded on the payment stream.
        let recorded = try RecordRefund(
            refundId: refund.refundId, paidYen: 2_000, paidOn: F.date("2025-05-23"),
            method: .cardCancellation
        ).decide(
            world.payment(of: orderNo), staff: F.staff,
            today: F.date("2025-05-23"))
        #expect(recorded.paymentTypes == ["RefundRecorded"])
        // A failure reported after the success contradicts it.
        #expect(F.rejection { try Self.end(.failed, world, orderNo, settlementNo) }?.code == .wrongState)
    }

    @Test("P2: a capture of another amount does not fit (unfit wrongAmount) and nothing of the order changes")
    func amountMismatch() throws {
        var world = OrderWorld(tariffs: F.catalogEX10)
        let (orderNo, settlementNo) = try Self.cardOrder(&world)
        let before = world
        let decision = try Self.capture(&world, orderNo, settlementNo, "tx-1", amount: 1, at: "2025-05-22 10:01:00")
        #expect(decision.unfit?.reason == .wrongAmount)
        #expect(decision.unfit?.explanation.contains("2,000") == true)
        #expect(world.company == before.company && world.orders == before.orders)
    }

    @Test("Gateway results: a fee attempt, a missing captured amount, a misdated issue number are refused")
    func gatewayRefusals() throws {
        var world = OrderWorld(tariffs: F.catalogEX10)
        let (orderNo, settlementNo) = try Self.cardOrder(&world)
        let noAmount = F.rejection {
            try RecordGatewayResult(settlementNo: settlementNo, outcome: .succeeded, gatewayTransactionId: F.txn("t"))
                .decideCouponOrder(
                    world.payment(of: orderNo), order: world.order(orderNo), company: world.company,
                    issueNumber: IssueNumber(date: F.date("2025-05-22"), sequence: 1)!, refundId: F.uuid(1),
                    now: F.at("2025-05-22 10:01:00"))
        }
        #expect(noAmount?.details["field"] == .string("capturedAmountYen"))
        let misdated = F.rejection {
            try F.succeeded(settlementNo, "t", captured: 2_000).decideCouponOrder(
                world.payment(of: orderNo), order: world.order(orderNo), company: world.company,
                issueNumber: IssueNumber(date: F.date("2025-05-21"), sequence: 1)!, refundId: F.uuid(1),
                now: F.at("2025-05-22 10:01:00"))
        }
        #expect(misdated?.details["field"] == .string("issueNumber"))
        var fee = PaymentState()
        fee = PaymentState.evolve(
            fee,
            .started(
                PaymentAttemptStarted(
                    settlementNo: settlementNo, purpose: .applicationFees, payerUserId: F.jiro,
                    tradeRegNo: F.tradeRegNo, items: [],
                    orderNo: nil, itemCount: 1, amountYen: 1_100, productLabel: "x",
                    startedAt: F.at("2025-05-22 10:00:00"),
                    deadlineAt: F.at("2025-05-22 10:05:00"))))
        let wrongPurpose = F.rejection {
            try F.succeeded(settlementNo, "t", captured: 1_100).decideCouponOrder(
                fee, order: world.order(orderNo), company: world.company,
                issueNumber: IssueNumber(date: F.date("2025-05-22"), sequence: 1)!, refundId: F.uuid(1),
                now: F.at("2025-05-22 10:01:00"))
        }
        #expect(wrongPurpose?.code == .wrongState)
        let unknown = F.rejection {
            try F.succeeded(settlementNo, "t", captured: 2_000).decideCouponOrder(
                PaymentState(), order: world.order(orderNo), company: world.company,
                issueNumber: IssueNumber(date: F.date("2025-05-22"), sequence: 1)!, refundId: F.uuid(1),
                now: F.at("2025-05-22 10:01:00"))
        }
        #expect(unknown?.code == .unknownSettlement)
    }
}
