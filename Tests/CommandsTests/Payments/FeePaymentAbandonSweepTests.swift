import Foundation
import Testing

@testable import Commands
@testable import Domain

/// Goal: an attempt that is not completed ends by the payer's 決済をやめる (A13, P5) or by the
/// sweeper at deadline + 120 s (A12, P4), releasing its applications to AwaitingPayment (not
/// back into the cart), after which a new attempt can pay them (EX-3).
@Suite("Fee payment: AbandonCardPayment and the deadline sweep (A12, A13, EX-3)")
struct FeePaymentAbandonSweepTests {
    typealias F = FeeFixture
    static let day = FeeFixture.date(2025, 3, 17)
    static let s1 = FeeFixture.settlementNo("20250317-8888000004-00001")
    static let s2 = FeeFixture.settlementNo("20250317-8888000004-00002")

    static func open() throws -> FeeWorld {
        var world = FeeWorld(applications: F.ex1Applications())
        try world.add(F.ichiro, "000004172")
        try world.add(F.ichiro, "000012641")
        try world.start(F.ichiro, s1, at: F.at(day, 10, 0))
        return world
    }

    @Test("EX-3(a): ichiro abandons at 10:06 → Abandoned + 2 × released{abandoned}; not back in the cart")
    func ex3Abandon() throws {
        var world = try Self.open()
        let now = F.at(Self.day, 10, 6)
        let decision = try AbandonCardPayment(settlementNo: Self.s1).decide(
            world.payments[Self.s1]!, applications: world.applications, user: F.ichiro, now: now)
        #expect(
            decision.payment == [
                .abandoned(PaymentAttemptAbandoned(settlementNo: Self.s1, byUserId: F.ichiro, abandonedAt: now))
            ])
        for number in ["000004172", "000012641"] {
            #expect(
                decision.applicationEvents[number] == [
                    .paymentReleased(
                        ApplicationPaymentReleased(
                            receptionNo: F.receptionNo(number), settlementNo: Self.s1, reason: .abandoned))
                ])
        }
        #expect(decision.carts.isEmpty)
        world.apply(decision, to: Self.s1)
        #expect(world.status("000004172") == .awaitingPayment)
        #expect(world.status("000012641") == .awaitingPayment)
        #expect(world.carts[F.ichiro]?.isEmpty == true)
        #expect(world.payments[Self.s1]?.status == .abandoned)
        #expect(world.payments[Self.s1]?.statements.isEmpty == true)
    }

    @Test(
        "AbandonCardPayment refusals",
        arguments: [
            ("another user of the company", "taro", false, RejectionCode.forbidden),
            ("already abandoned", "ichiro", true, .wrongState),
        ])
    func abandonRefused(_ name: String, _ user: String, _ abandonFirst: Bool, _ code: RejectionCode) throws {
        var world = try Self.open()
        if abandonFirst {
            world.apply(
                try AbandonCardPayment(settlementNo: Self.s1).decide(
                    world.payments[Self.s1]!, applications: world.applications, user: F.ichiro,
                    now: F.at(Self.day, 10, 1)),
                to: Self.s1)
        }
        let rejection = F.rejection {
            try AbandonCardPayment(settlementNo: Self.s1).decide(
                world.payments[Self.s1]!, applications: world.applications, user: try! UserId(parsing: user),
                now: F.at(Self.day, 10, 2))
        }
        #expect(rejection?.code == code)
    }

    @Test("AbandonCardPayment of an unknown settlement → unknownSettlement")
    func abandonUnknown() {
        let rejection = F.rejection {
            try AbandonCardPayment(settlementNo: Self.s2).decide(
                PaymentState(), applications: [:], user: F.ichiro, now: F.at(Self.day, 10, 2))
        }
        #expect(rejection?.code == .unknownSettlement)
    }

    /// Sweep times against the deadline 10:05:00: (h, m, s, timed out?).
    static let sweepTimes: [(Int, Int, Int, Bool)] = [
        (10, 0, 0, false),
        (10, 5, 0, false),  // the deadline itself: still within grace
        (10, 6, 0, false),
        (10, 6, 59, false),
        (10, 7, 0, true),  // deadline + 120 s (EX-3(b))
        (10, 7, 1, true),
        (11, 0, 0, true),
    ]

    @Test("EX-3(b): the sweeper times out at deadline + 120 s, not before", arguments: sweepTimes)
    func sweepTiming(_ hour: Int, _ minute: Int, _ second: Int, _ timesOut: Bool) throws {
        let world = try Self.open()
        let now = F.at(Self.day, hour, minute, second)
        let payment = world.payments[Self.s1]!
        #expect(payment.isOverdue(now: now) == timesOut)
        let decision = try FeePaymentSweep.decide(
            payment, applications: world.applications, now: now, gatewayStatus: .notCaptured)
        if timesOut {
            #expect(
                decision.payment == [
                    .timedOut(
                        PaymentAttemptTimedOut(
                            settlementNo: Self.s1, deadlineAt: F.at(Self.day, 10, 5), detectedAt: now,
                            gatewayStatus: .notCaptured))
                ])
            #expect(decision.applications.count == 2)
            #expect(
                decision.applications.values.allSatisfy {
                    if case .paymentReleased(let e)? = $0.first {
                        e.reason == .timedOut && e.settlementNo == Self.s1
                    } else {
                        false
                    }
                })
        } else {
            #expect(decision.isEmpty)
        }
    }

    @Test("EX-3(b) then a new attempt -00002 for 2,200 starts and succeeds as in EX-1")
    func retryAfterTimeout() throws {
        var world = try Self.open()
        let sweep = try FeePaymentSweep.decide(
            world.payments[Self.s1]!, applications: world.applications, now: F.at(Self.day, 10, 7),
            gatewayStatus: .unreachable)
        world.apply(sweep, to: Self.s1)
        #expect(world.payments[Self.s1]?.timedOut?.gatewayStatus == .unreachable)
        #expect(world.status("000004172") == .awaitingPayment)
        // A second sweep finds nothing to do.
        #expect(
            try FeePaymentSweep.decide(
                world.payments[Self.s1]!, applications: world.applications,
                now: F.at(Self.day, 10, 8), gatewayStatus: .notCaptured
            ).isEmpty)
        // Abandoning after the timeout is refused: the attempt is no longer open.
        #expect(
            F.rejection {
                try AbandonCardPayment(settlementNo: Self.s1).decide(
                    world.payments[Self.s1]!, applications: world.applications, user: F.ichiro,
                    now: F.at(Self.day, 10, 8))
            }?.code == .wrongState)

        try world.add(F.ichiro, "000004172")
        try world.add(F.ichiro, "000012641")
        let start = try world.start(F.ichiro, Self.s2, at: F.at(Self.day, 10, 10))
        #expect(start.result["amountYen"] == .int(2_200))
        #expect(start.result["settlementNo"] == .string("20250317-8888000004-00002"))
        let paid = try world.record(.success(Self.s2, "gw-2", captured: 2_200), at: F.at(Self.day, 10, 11))
        #expect(paid.statements.count == 2)
        #expect(world.status("000004172") == .issued && world.status("000012641") == .issued)
    }

    @Test("PaymentState folds each event of §5.2")
    func evolve() throws {
        let world = try Self.open()
        let base = world.payments[Self.s1]!
        #expect(base.exists && base.isOpen && base.items.count == 2)
        #expect(PaymentState().exists == false)
        #expect(PaymentState().isOverdue(now: F.at(Self.day, 23, 0)) == false)
        let failed = PaymentState.evolve(
            base,
            .failed(
                PaymentAttemptFailed(
                    settlementNo: Self.s1, errorCode: try GatewayErrorCode(parsing: "E11310004"), gatewayMessage: nil,
                    failedAt: F.at(Self.day, 10, 1))))
        #expect(failed.status == .failed && !failed.isOpen)
        #expect(failed.isOverdue(now: F.at(Self.day, 11, 0)) == false)
        let refunded = PaymentState.evolve(
            PaymentState.evolve(
                base,
                .refundDue(
                    RefundBecameDue(
                        refundId: F.refundId, reason: .duplicateCapture, basisYen: 2_200, costsDeductible: false,
                        depositId: nil,
                        settlementNo: Self.s1, tradeRegNo: F.tradeRegNo, refundingChamberId: F.chamber,
                        gatewayTransactionId: F.txn("gw-x")))),
            .refundRecorded(
                RefundRecorded(
                    refundId: F.refundId, paidYen: 2_200, deductedCostsYen: 0, paidOn: Self.day,
                    staffId: F.staff, method: .cardCancellation, reference: nil)))
        #expect(refunded.refundsDue.count == 1 && refunded.refundsRecorded.count == 1)
        #expect(refunded.recordedTransactionIds == [F.txn("gw-x")])
        #expect(refunded.status == .open)
    }

    @Test("RefundBecameDue without gatewayTransactionId (deposit refunds) still decodes")
    func refundDecodesWithoutTransaction() throws {
        let json = """
            {"basisYen":800,"costsDeductible":true,"depositId":"dep-1","reason":"overpayment",\
            "refundId":"6F9619FF-8B86-D011-B42D-00C04FC964FF","refundingChamberId":"kamikochi","tradeRegNo":"8888000004"}
            """
        let event = try #require(try PaymentEvent.decode(eventType: "RefundBecameDue", data: Data(json.utf8)))
        guard case .refundDue(let refund) = event else {
            Issue.record("decoded \(event)")
            return
        }
        #expect(refund.gatewayTransactionId == nil)
        #expect(refund.basisYen == 800)
    }
}
