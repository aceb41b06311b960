import Foundation
import Testing

@testable import Commands
@testable import Domain

/// Goal: the gateway's result settles a fee attempt exactly as §5.1/§5.2 say: success issues
/// every application with one statement each whose amounts add up to the capture (A10, R26-R29,
/// I7, I13); failure releases them (A11, EX-4); a wrong amount is never a success (P2); a late
/// capture issues or becomes a duplicate-capture refund (R25, A14, P6, EX-19); re-deliveries
/// are no-ops (I20).
@Suite("Fee payment: RecordGatewayResult (A10, A11, A14, P2, P6, EX-1, EX-4, EX-19, EX-20)")
struct FeePaymentGatewayTests {
    typealias F = FeeFixture
    static let day = FeeFixture.date(2025, 3, 17)
    static let s1 = FeeFixture.settlementNo("20250317-8888000004-00001")
    static let s2 = FeeFixture.settlementNo("20250317-8888000004-00002")

    /// EX-1 up to the open attempt `s1` started by ichiro at 10:00.
    static func ex1Open() throws -> FeeWorld {
        var world = FeeWorld(applications: F.ex1Applications())
        try world.add(F.ichiro, "000004172")
        try world.add(F.ichiro, "000012641")
        try world.start(F.ichiro, s1, at: F.at(day, 10, 0))
        return world
    }

    @Test("EX-1: success → issued ×2, statements 1,100 = 1,000 + 100 each, Σ = 2,200 = captured")
    func ex1Success() throws {
        var world = try Self.ex1Open()
        let settledAt = F.at(Self.day, 10, 2, 30)
        let decision = try world.record(.success(Self.s1, "gw-0001", captured: 2_200), at: settledAt)

        let succeeded = try #require(decision.succeeded)
        #expect(succeeded.capturedAmountYen == 2_200)
        #expect(succeeded.paymentType == "lumpSum")
        #expect(succeeded.late == false)
        #expect(succeeded.settledAt == settledAt)
        #expect(succeeded.settlementDate == Self.day)
        #expect(succeeded.gatewayTransactionId == F.txn("gw-0001"))
        #expect(succeeded.cardBrand == .visa)
        #expect(decision.refunds.isEmpty)

        let statements = decision.statements
        #expect(statements.count == 2)
        #expect(statements.map(\.receptionNo?.stringValue) == ["000004172", "000012641"])
        #expect(statements.map(\.content) == ["原産地証明書(外国産)", "原産地証明書(日本産)"])
        #expect(statements.map(\.invoiceNumber) == ["inv00024680", "inv00013569"])
        #expect(statements.map(\.issueNumber.stringValue) == ["20250317000000001", "20250317000000002"])
        for statement in statements {
            #expect(statement.kind == .applicationFee)
            #expect(statement.payerUserId == F.ichiro)
            #expect(statement.amountYen == 1_100)
            #expect(statement.taxableAmountYen == 1_000)
            #expect(statement.consumptionTaxYen == 100)
            #expect(statement.taxRatePercent == 10)
            #expect(statement.paymentType == "lumpSum")
            #expect(statement.issuerName == "日本商工会議所")
            #expect(statement.issuerRegistrationNumber == "T5010005003975")
            #expect(statement.issueDate == Self.day)  // 発行日 = 決済日 (Q24)
            #expect(statement.settlementDate == Self.day)
            #expect(statement.tradeRegNoAsPrinted == "8888000004")
            #expect(statement.companyName == "日商テスト商事株式会社")
            #expect(statement.issuingChamberName == "上高地商工会議所")
            #expect(statement.orderNo == nil && statement.purchaseDescription == nil)
        }
        #expect(try Yen.sum(statements.map(\.amountYen)) == succeeded.capturedAmountYen)  // I7
        #expect(decision.issueNumbersUsed.count == 2)

        for number in ["000004172", "000012641"] {
            #expect(
                decision.applicationEvents[number] == [
                    .issued(
                        ApplicationIssued(
                            receptionNo: F.receptionNo(number), paidBy: .card, settlementNo: Self.s1,
                            settlementDate: Self.day,
                            issuedAt: settledAt, certificateNumber: nil))
                ])
            #expect(world.status(number) == .issued)
        }
        #expect(world.payments[Self.s1]?.status == .succeeded)
        #expect(world.payments[Self.s1]?.statements.count == 2)
        #expect(world.carts[F.ichiro]?.isEmpty == true)
        #expect(decision.carts.isEmpty)
        #expect(decision.result["outcome"] == .string("succeeded"))
        #expect(decision.result["late"] == .bool(false))

        // Every payment event survives its stored JSON.
        for event in decision.payment {
            let pending = event.pending
            #expect(try PaymentEvent.decode(eventType: pending.eventType, data: Data(pending.data.utf8)) == event)
        }
    }

    @Test("EX-6: the statement carries the certificate number and the company number as issued (9 digits kept)")
    func statementSnapshot() throws {
        let n = "000012761"
        var world = FeeWorld(applications: [
            F.receptionNo(n): F.application(
                n, label: "原産地証明書(日本産)", invoice: "20240703", applied: F.date(2024, 7, 3), fee: 3_300,
                certificateNumber: "888864240001151")
        ])
        world.company = F.company(asIssued: "888000001")
        let day = F.date(2024, 7, 3)
        let fees = F.settlementNo("20240703-8888000004-00001")
        try world.add(F.taro, n)
        try world.start(F.taro, fees, at: F.at(day, 11, 0))
        let decision = try world.record(
            .success(fees, "gw-ex6", captured: 3_300), at: F.at(day, 11, 1), firstIssueSequence: 11_531)
        let statement = try #require(decision.statements.first)
        #expect(statement.issueNumber.stringValue == "20240703000011531")
        #expect(statement.certificateNumber == "888864240001151")
        #expect(statement.invoiceNumber == "20240703")
        #expect(statement.tradeRegNoAsPrinted == "888000001")
        #expect(statement.amountYen == 3_300)
        #expect(statement.taxableAmountYen == 3_000)
        #expect(statement.consumptionTaxYen == 300)
        guard case .issued(let issued)? = decision.applicationEvents[n]?.first else {
            Issue.record("expected ApplicationIssued for \(n)")
            return
        }
        #expect(issued.certificateNumber == "888864240001151")
    }

    @Test("R64/R65: each statement splits its own fee (tax rounded down); the cart total is never split")
    func perDocumentSplit() throws {
        // Legacy/test fees that are not multiples of 11 (R10): 1,000 and 2,000 (constructed).
        var world = FeeWorld(applications: [
            F.receptionNo("000004172"): F.application("000004172", fee: 1_000),
            F.receptionNo("000012641"): F.application("000012641", fee: 2_000),
        ])
        try world.add(F.ichiro, "000004172")
        try world.add(F.ichiro, "000012641")
        try world.start(F.ichiro, Self.s1, at: F.at(Self.day, 10, 0))
        let decision = try world.record(.success(Self.s1, "gw-split", captured: 3_000), at: F.at(Self.day, 10, 1))
        let splits = decision.statements.map { [$0.amountYen, $0.taxableAmountYen, $0.consumptionTaxYen] }
        #expect(splits == [[1_000, 910, 90], [2_000, 1_819, 181]])
        // Σ tax 271, not the 272 a cart-level split of 3,000 would give.
        #expect(try Yen.sum(decision.statements.map(\.consumptionTaxYen)) == 271)
        #expect(
            decision.statements.allSatisfy {
                TaxSplit.isSplit(
                    amount: $0.amountYen, taxableAmount: $0.taxableAmountYen, consumptionTax: $0.consumptionTaxYen)
            })
    }

    @Test("the settlement date is the JST date of settledAt: 00:30 JST is the next day (Q24)")
    func settlementDateIsJST() throws {
        var world = try Self.ex1Open()
        // 2025-03-17T15:30Z = 2025-03-18 00:30 JST. Issue numbers are dated the 18th.
        let settledAt = F.at(F.date(2025, 3, 18), 0, 30)
        let decision = try world.record(.success(Self.s1, "gw-late-night", captured: 2_200), at: settledAt)
        #expect(decision.succeeded?.settlementDate == F.date(2025, 3, 18))
        #expect(
            decision.statements.allSatisfy {
                $0.issueDate == F.date(2025, 3, 18) && $0.settlementDate == F.date(2025, 3, 18)
            })
    }

    @Test("EX-4: error E11310004 on 11 × 1,100 = 12,100 → Failed + 11 releases{failed}, all AwaitingPayment")
    func ex4Failure() throws {
        let numbers = [
            "000003441", "000003431", "000003421", "000003411", "000003401", "000003391", "000003381",
            "000003371", "000003361", "000001321", "000001111",
        ]
        // The seed's legacy number (9-digit middle part) is read as the canonical one (Q16).
        let legacy = F.settlementNo("20220302-888000001-00003")
        #expect(legacy.stringValue == "20220302-0888000001-00003")
        let company = legacy.tradeRegNo
        var applications: [ReceptionNo: ApplicationState] = [:]
        for number in numbers {
            let invoice = number == "000001321" ? "192837465" : "NEI-0158"
            let applied =
                number == "000001321"
                ? F.date(2020, 8, 18) : number == "000001111" ? F.date(2020, 8, 17) : F.date(2021, 3, 22)
            applications[F.receptionNo(number)] = F.application(
                number, invoice: invoice, applied: applied, applicantName: "日商 太郎", applicant: F.taro, company: company)
        }
        var world = FeeWorld(applications: applications)
        world.company = F.company(asIssued: "888000001")
        world.carts[F.taro] = F.cart(F.taro, numbers, applications, tradeRegNo: company)
        let day = F.date(2022, 3, 2)
        let start = try StartCardPayment().decide(
            world.carts[F.taro]!, applications: world.applications, payer: F.taro, tradeRegNo: company,
            settlementNo: legacy, now: F.at(day, 14, 0))
        #expect(start.result["amountYen"] == .int(12_100))
        #expect(start.result["itemCount"] == .int(11))
        world.apply(start, to: legacy)
        #expect(numbers.allSatisfy { world.status($0) == .paymentPending })

        let failure = try world.record(.failure(legacy, "gw-e1", code: "E11310004"), at: F.at(day, 14, 2))
        guard case .failed(let failed)? = failure.payment.first, failure.payment.count == 1 else {
            Issue.record("expected exactly PaymentAttemptFailed, got \(failure.payment)")
            return
        }
        #expect(failed.errorCode.stringValue == "E11310004")
        #expect(failed.failedAt == F.at(day, 14, 2))
        #expect(failure.applications.count == 11)
        for number in numbers {
            #expect(
                failure.applicationEvents[number] == [
                    .paymentReleased(
                        ApplicationPaymentReleased(
                            receptionNo: F.receptionNo(number), settlementNo: legacy, reason: .failed))
                ])
            #expect(world.status(number) == .awaitingPayment)
        }
        #expect(failure.statements.isEmpty && failure.succeeded == nil)
        #expect(world.payments[legacy]?.status == .failed)
        // The read model keeps the failed attempt's item list (R22).
        #expect(world.payments[legacy]?.items.count == 11)
        // The same failure re-delivered is a no-op (I20).
        let again = try world.record(.failure(legacy, "gw-e1", code: "E11310004"), at: F.at(day, 14, 3))
        #expect(again.isEmpty)
        #expect(again.result["outcome"] == .string("alreadyRecorded"))
    }

    @Test(
        "P2: a capture of another amount does not fit (unfit wrongAmount, for the suspense account); the attempt stays Open",
        arguments: [1, 1_100, 2_199, 2_201, 4_400] as [Int64])
    func wrongAmount(_ captured: Int64) throws {
        var world = try Self.ex1Open()
        let decision = try world.record(
            .success(Self.s1, "gw-0001", captured: Yen(exactly: captured)!), at: F.at(Self.day, 10, 2))
        #expect(decision.unfit?.reason == .wrongAmount)
        #expect(decision.payment.isEmpty && decision.applications.isEmpty && !decision.isEmpty)
        #expect(world.payments[Self.s1]?.status == .open)
        #expect(world.status("000004172") == .paymentPending)
    }

    @Test("a capture of 0 yen is malformed (invalidCommand), not money")
    func zeroCapture() throws {
        var world = try Self.ex1Open()
        let rejection = F.rejection {
            try world.record(.success(Self.s1, "gw-0001", captured: .zero), at: F.at(Self.day, 10, 2))
        }
        #expect(rejection?.code == .invalidCommand)
    }

    @Test("a capture after the gateway reported failure does not fit (unfit attemptNoLongerOpen)")
    func captureAfterFailure() throws {
        var world = try Self.ex1Open()
        try world.record(.failure(Self.s1, "gw-0001", code: "E11310004"), at: F.at(Self.day, 10, 1))
        let decision = try world.record(.success(Self.s1, "gw-9", captured: 2_200), at: F.at(Self.day, 10, 3))
        #expect(decision.unfit?.reason == .attemptNoLongerOpen)
        #expect(world.payments[Self.s1]?.status == .failed)
    }

    @Test("success re-delivered with the same gateway transaction id is a no-op (I20)")
    func redeliveredSuccess() throws {
        var world = try Self.ex1Open()
        try world.record(.success(Self.s1, "gw-0001", captured: 2_200), at: F.at(Self.day, 10, 2))
        let again = try world.record(.success(Self.s1, "gw-0001", captured: 2_200), at: F.at(Self.day, 10, 3))
        #expect(again.isEmpty)
        #expect(world.payments[Self.s1]?.statements.count == 2)
    }

    @Test("a second capture on a succeeded attempt (another transaction id) → RefundBecameDue{duplicateCapture}")
    func secondCaptureOnSucceeded() throws {
        var world = try Self.ex1Open()
        try world.record(.success(Self.s1, "gw-0001", captured: 2_200), at: F.at(Self.day, 10, 2))
        let second = try world.record(.success(Self.s1, "gw-0002", captured: 2_200), at: F.at(Self.day, 10, 4))
        #expect(second.succeeded == nil && second.statements.isEmpty && second.applications.isEmpty)
        #expect(second.refunds.map(\.reason) == [.duplicateCapture])
        #expect(second.refunds.first?.basisYen == 2_200)
        #expect(second.refunds.first?.gatewayTransactionId == F.txn("gw-0002"))
        // And its re-delivery is recognised.
        let again = try world.record(.success(Self.s1, "gw-0002", captured: 2_200), at: F.at(Self.day, 10, 5))
        #expect(again.isEmpty)
        #expect(world.payments[Self.s1]?.refundsDue.count == 1)
    }

    /// RecordGatewayResult refusals: (name, setup, command, code).
    struct GatewayCase: CustomTestStringConvertible, Sendable {
        enum Setup: Sendable { case open, succeeded, failed, none, couponOrder }
        var name: String
        var setup: Setup
        var command: RecordGatewayResult
        var code: RejectionCode
        var testDescription: String { "\(name) → \(code.rawValue)" }
    }

    static let gatewayRefusals: [GatewayCase] = [
        GatewayCase(
            name: "unknown settlement", setup: .none, command: .success(s1, "gw", captured: 2_200),
            code: .unknownSettlement),
        GatewayCase(
            name: "paymentType other than lumpSum (R24)", setup: .open,
            command: .success(s1, "gw", captured: 2_200, paymentType: "installments"), code: .invalidCommand),
        GatewayCase(
            name: "success without capturedAmountYen", setup: .open,
            command: RecordGatewayResult(
                settlementNo: s1, outcome: .succeeded, gatewayTransactionId: FeeFixture.txn("gw")),
            code: .invalidCommand),
        GatewayCase(
            name: "failure without errorCode", setup: .open,
            command: RecordGatewayResult(
                settlementNo: s1, outcome: .failed, gatewayTransactionId: FeeFixture.txn("gw")),
            code: .invalidCommand),
        GatewayCase(
            name: "coupon-order attempt (other handler)", setup: .couponOrder,
            command: .success(s1, "gw", captured: 2_000),
            code: .wrongState),
        GatewayCase(
            name: "failure after a success", setup: .succeeded, command: .failure(s1, "gw-9", code: "E11310004"),
            code: .wrongState),
    ]

    @Test("RecordGatewayResult refusals", arguments: gatewayRefusals)
    func gatewayRefused(_ row: GatewayCase) throws {
        var world = try Self.ex1Open()
        switch row.setup {
        case .open: break
        case .none: world.payments = [:]
        case .succeeded: try world.record(.success(Self.s1, "gw-0001", captured: 2_200), at: F.at(Self.day, 10, 1))
        case .failed: try world.record(.failure(Self.s1, "gw-0001", code: "E11310004"), at: F.at(Self.day, 10, 1))
        case .couponOrder:
            var started = try #require(world.payments[Self.s1]?.started)
            started.purpose = .couponOrder
            started.items = nil
            started.orderNo = try OrderNo(parsing: "202503178888000004000001")
            world.payments[Self.s1] = PaymentState.evolve(PaymentState(), .started(started))
        }
        let rejection = F.rejection { try world.record(row.command, at: F.at(Self.day, 10, 3)) }
        #expect(rejection?.code == row.code)
    }

    @Test("the glue must hand over enough issue numbers dated the settlement date")
    func issueNumbersChecked() throws {
        let world = try Self.ex1Open()
        let payment = world.payments[Self.s1]!
        #expect(RecordGatewayResult.issueNumbersNeeded(for: payment) == 2)
        for numbers in [
            F.issueNumbers(on: Self.day, count: 1), F.issueNumbers(on: F.date(2025, 3, 16), count: 2),
            [IssueNumber(date: Self.day, sequence: 5)!, IssueNumber(date: Self.day, sequence: 5)!],
        ] {
            let rejection = F.rejection {
                try RecordGatewayResult.success(Self.s1, "gw", captured: 2_200).decide(
                    payment, applications: world.applications, company: world.company, issueNumbers: numbers,
                    refundId: F.refundId, now: F.at(Self.day, 10, 2))
            }
            #expect(rejection?.code == .invalidCommand)
        }
    }

    // MARK: Late captures (R25, A14, P6)

    /// EX-3(b) → EX-19: `s1` timed out at 10:07:00 (deadline 10:05 + 120 s).
    static func ex19TimedOut() throws -> FeeWorld {
        var world = try ex1Open()
        let sweep = try FeePaymentSweep.decide(
            world.payments[s1]!, applications: world.applications, now: F.at(day, 10, 7), gatewayStatus: .notCaptured)
        world.apply(sweep, to: s1)
        return world
    }

    @Test("EX-19: late capture of 2,200 at 10:08, both still unpaid → Succeeded{late} + 2 × Issued + 2 × Statement")
    func ex19LateCapture() throws {
        var world = try Self.ex19TimedOut()
        #expect(world.payments[Self.s1]?.status == .timedOut)
        #expect(world.status("000004172") == .awaitingPayment)
        let decision = try world.record(.success(Self.s1, "gw-late", captured: 2_200), at: F.at(Self.day, 10, 8))
        #expect(decision.succeeded?.late == true)
        #expect(decision.statements.count == 2)
        #expect(decision.statements.allSatisfy { $0.amountYen == 1_100 && $0.payerUserId == F.ichiro })
        #expect(decision.applications.count == 2)
        #expect(decision.refunds.isEmpty)
        #expect(world.status("000004172") == .issued)
        #expect(world.status("000012641") == .issued)
        #expect(world.payments[Self.s1]?.status == .succeeded)
        #expect(decision.result["late"] == .bool(true))
    }

    @Test("EX-19 after abandonment too (P6 from Abandoned)")
    func lateCaptureAfterAbandon() throws {
        var world = try Self.ex1Open()
        let abandon = try AbandonCardPayment(settlementNo: Self.s1).decide(
            world.payments[Self.s1]!, applications: world.applications, user: F.ichiro, now: F.at(Self.day, 10, 6))
        world.apply(abandon, to: Self.s1)
        let decision = try world.record(.success(Self.s1, "gw-late", captured: 2_200), at: F.at(Self.day, 10, 8))
        #expect(decision.succeeded?.late == true)
        #expect(world.status("000012641") == .issued)
    }

    @Test(
        "EX-19 variant: -00002 already paid both → only RefundBecameDue{duplicateCapture, 2,200}; both stay Issued once"
    )
    func ex19DuplicateCapture() throws {
        var world = try Self.ex19TimedOut()
        try world.add(F.ichiro, "000004172")
        try world.add(F.ichiro, "000012641")
        try world.start(F.ichiro, Self.s2, at: F.at(Self.day, 10, 7, 30))
        let paid = try world.record(.success(Self.s2, "gw-s2", captured: 2_200), at: F.at(Self.day, 10, 7, 45))
        #expect(paid.statements.count == 2)

        let late = try world.record(
            .success(Self.s1, "gw-late", captured: 2_200), at: F.at(Self.day, 10, 8),
            firstIssueSequence: 3)
        #expect(late.payment.count == 1)
        let refund = try #require(late.refunds.first)
        #expect(refund.reason == .duplicateCapture)
        #expect(refund.basisYen == 2_200)
        #expect(refund.costsDeductible == false)
        #expect(refund.settlementNo == Self.s1)
        #expect(refund.tradeRegNo == F.tradeRegNo)
        #expect(refund.refundingChamberId == F.chamber)
        #expect(refund.refundId == F.refundId)
        #expect(refund.depositId == nil)
        #expect(late.applications.isEmpty && late.statements.isEmpty && late.issueNumbersUsed.isEmpty)
        #expect(late.result["outcome"] == .string("duplicateCapture"))
        // Each application has exactly one issuance, by -00002 (I5).
        for number in ["000004172", "000012641"] {
            #expect(world.applications[F.receptionNo(number)]?.issued?.settlementNo == Self.s2)
        }
        #expect(world.payments[Self.s1]?.status == .timedOut)
        #expect(world.payments[Self.s1]?.refundsDue.count == 1)
        // The same late notification again: recognised, no second refund (I20).
        #expect(try world.record(.success(Self.s1, "gw-late", captured: 2_200), at: F.at(Self.day, 10, 9)).isEmpty)
    }

    /// What one of the two applications became before the late capture, and the expected outcome.
    struct LateCase: CustomTestStringConvertible, Sendable {
        enum Change: Sendable { case none, linkedToOther, putOnHold, withdrawn, inSomeonesCart }
        var change: Change
        var issues: Bool
        var testDescription: String { "\(change) → \(issues ? "issue" : "refund")" }
    }

    @Test(
        "R25: issue only when every item is still unpaid and linked to no other attempt",
        arguments: [
            LateCase(change: .none, issues: true),
            LateCase(change: .inSomeonesCart, issues: true),
            LateCase(change: .linkedToOther, issues: false),
            LateCase(change: .putOnHold, issues: false),
            LateCase(change: .withdrawn, issues: false),
        ])
    func lateRule(_ row: LateCase) throws {
        var world = try Self.ex19TimedOut()
        let n = F.receptionNo("000012641")
        switch row.change {
        case .none: break
        case .inSomeonesCart: try world.add(F.taro, "000012641")
        case .linkedToOther:
            try world.add(F.taro, "000012641")
            try world.start(F.taro, Self.s2, at: F.at(Self.day, 10, 7, 30))
        case .putOnHold:
            // Put on hold from AwaitingPayment (A15) is the glue's command; fold its event here.
            world.applications[n] = ApplicationState.evolve(
                world.applications[n]!,
                .putOnHold(
                    ApplicationPutOnHold(
                        receptionNo: n, staffId: F.staff, reason: "不備", couponReturned: false)))
        case .withdrawn:
            world.applications[n] = ApplicationState.evolve(
                world.applications[n]!,
                .withdrawn(
                    ApplicationWithdrawn(
                        receptionNo: n, reason: "取下げ", couponReturned: false)))
        }
        let before = world.applications
        let decision = try world.record(.success(Self.s1, "gw-late", captured: 2_200), at: F.at(Self.day, 10, 8))
        if row.issues {
            #expect(decision.succeeded?.late == true)
            #expect(decision.applications.count == 2)
            #expect(decision.refunds.isEmpty)
        } else {
            #expect(decision.succeeded == nil)
            #expect(decision.applications.isEmpty)
            #expect(decision.refunds.map(\.basisYen) == [2_200])
            #expect(world.applications == before)
        }
        if row.change == .inSomeonesCart {
            // A14: the item leaves taro's cart, paid elsewhere.
            #expect(
                decision.carts == [
                    F.taro: [.itemRemoved(CartItemRemoved(userId: F.taro, receptionNo: n, reason: .paidElsewhere))]
                ])
            #expect(world.carts[F.taro]?.isEmpty == true)
        }
    }

    @Test("EX-20: when ichiro's attempt succeeds, 000004172 leaves taro's cart with reason paidElsewhere")
    func ex20PaidElsewhere() throws {
        var world = FeeWorld(applications: F.ex1Applications())
        try world.add(F.taro, "000004172")
        try world.add(F.taro, "000012641")
        try world.add(F.ichiro, "000004172")
        try world.start(F.ichiro, Self.s1, at: F.at(Self.day, 10, 0))
        let decision = try world.record(.success(Self.s1, "gw-0001", captured: 1_100), at: F.at(Self.day, 10, 1))
        #expect(decision.statements.count == 1)
        #expect(
            decision.carts == [
                F.taro: [
                    .itemRemoved(
                        CartItemRemoved(
                            userId: F.taro, receptionNo: F.receptionNo("000004172"), reason: .paidElsewhere))
                ]
            ])
        #expect(world.carts[F.taro]?.receptionNos.map(\.stringValue) == ["000012641"])
        // taro can now pay the rest.
        let rest = try world.start(F.taro, Self.s2, at: F.at(Self.day, 10, 2))
        #expect(rest.result["amountYen"] == .int(1_100))
    }
}
