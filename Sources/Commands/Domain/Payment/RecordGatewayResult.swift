import Foundation

/// RecordGatewayResult (COMMANDS.md): the gateway's notification or status-query answer for
/// one attempt. This file decides it for `purpose: applicationFees`.
///
/// `paymentType` is not in COMMANDS.md's field list; it is accepted here (absent = "lumpSum")
/// so that anything other than 一括 can be refused (R24).
public struct RecordGatewayResult: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable { case succeeded, failed }

    public var settlementNo: SettlementNo
    public var outcome: Outcome
    public var gatewayTransactionId: GatewayTransactionId
    public var capturedAmountYen: Yen?
    public var cardBrand: CardBrand?
    public var threeDSecure: Bool?
    public var errorCode: GatewayErrorCode?
    public var gatewayMessage: String?
    public var paymentType: String?

    public init(
        settlementNo: SettlementNo, outcome: Outcome, gatewayTransactionId: GatewayTransactionId,
        capturedAmountYen: Yen? = nil, cardBrand: CardBrand? = nil, threeDSecure: Bool? = nil,
        errorCode: GatewayErrorCode? = nil, gatewayMessage: String? = nil, paymentType: String? = nil
    ) {
        self.settlementNo = settlementNo
        self.outcome = outcome
        self.gatewayTransactionId = gatewayTransactionId
        self.capturedAmountYen = capturedAmountYen
        self.cardBrand = cardBrand
        self.threeDSecure = threeDSecure
        self.errorCode = errorCode
        self.gatewayMessage = gatewayMessage
        self.paymentType = paymentType
    }

    /// How many issue numbers the glue must allocate (dated `JSTDate(instant: now)`) before
    /// calling `decide`: one per item. A decision may use none of them (failure, refund,
    /// no-op); `FeePaymentDecision.issueNumbersUsed` says which were used.
    public static func issueNumbersNeeded(for payment: PaymentState) -> Int { payment.items.count }

    /// Decides a gateway result for an application-fee attempt.
    ///
    /// Checks, in this order: the fields the outcome needs (`invalidCommand`: capturedAmountYen
    /// for success, errorCode for failure, paymentType must be lumpSum); the attempt exists
    /// (`unknownSettlement`) and pays application fees (`wrongState`). Then:
    /// - **succeeded** on a Succeeded attempt: the same `gatewayTransactionId` is a no-op
    ///   (I20); another one is a second capture → `RefundBecameDue{duplicateCapture}`.
    ///   On a Failed attempt: the capture does not fit (`unfit: attemptNoLongerOpen`: the glue
    ///   records it in the suspense account; staff resolve it).
    ///   A captured amount ≠ `amountYen`: `unfit: wrongAmount`, no success is recorded and the
    ///   attempt stays as it was (P2, I7). Open (P2, A10): `PaymentAttemptSucceeded` + one `StatementIssued` per item, and
    ///   `ApplicationIssued` per application. TimedOut/Abandoned (P6, A14, R25): if every item is
    ///   still AwaitingPayment (unpaid, linked to no other attempt), the same with `late: true`
    ///   plus `CartItemRemoved{paidElsewhere}` from any cart in `carts` that holds an item;
    ///   otherwise only `RefundBecameDue{duplicateCapture, basisYen: captured}` (no success is
    ///   recorded, so each application keeps exactly one succeeded attempt, I5).
    /// - **failed** on an Open attempt (P3, A11): `PaymentAttemptFailed` +
    ///   `ApplicationPaymentReleased{failed}` for each linked application. On a
    ///   Failed/TimedOut/Abandoned attempt: no-op. On a Succeeded attempt: `wrongState`.
    ///
    /// - Parameters:
    ///   - applications: every application of the attempt.
    ///   - company: the paying company (`payment.started.tradeRegNo`), for the statement's snapshot.
    ///   - carts: the carts (other than checked-out ones) that may hold the attempt's items, by
    ///     user; found by the glue from the read model.
    ///   - issueNumbers: `issueNumbersNeeded(for:)` numbers, dated the settlement date (Q19, Q24).
    ///   - refundId: used only if a refund becomes due.
    ///   - chamberNames: 証明書発給商工会議所 names by chamber, printed on statements (nil if absent).
    public func decide(
        _ payment: PaymentState, applications: [ReceptionNo: ApplicationState], company: CompanyState,
        carts: [UserId: CartState] = [:], issueNumbers: [IssueNumber], refundId: UUID,
        chamberNames: [ChamberId: String] = [:], now: Date
    ) throws(Rejection) -> FeePaymentDecision {
        try validateFields()
        let started = try payment.require(settlementNo)
        try payment.requireApplicationFees(started)
        switch outcome {
        case .failed:
            return try decideFailure(payment, started, applications: applications, now: now)
        case .succeeded:
            return try decideCapture(
                payment, started, applications: applications, company: company, carts: carts,
                issueNumbers: issueNumbers, refundId: refundId, chamberNames: chamberNames, now: now)
        }
    }

    func validateFields() throws(Rejection) {
        switch outcome {
        case .succeeded:
            guard let capturedAmountYen else {
                throw .invalid("capturedAmountYen", "a succeeded result must give the captured amount")
            }
            guard capturedAmountYen > .zero else {
                throw .invalid("capturedAmountYen", "a capture is above 0 yen")
            }
            if let paymentType, paymentType != CardPaymentRules.lumpSum {
                throw .invalid("paymentType", "is \"\(paymentType)\"; only \"lumpSum\" (支払区分 一括) is accepted (R24)")
            }
        case .failed:
            guard errorCode != nil else {
                throw .invalid("errorCode", "a failed result must give the gateway's error code")
            }
        }
        try TextRules.optional(gatewayMessage, field: "gatewayMessage", maximum: 500)
    }

    private func decideFailure(
        _ payment: PaymentState, _ started: PaymentAttemptStarted, applications: [ReceptionNo: ApplicationState],
        now: Date
    ) throws(Rejection) -> FeePaymentDecision {
        switch payment.status {
        case .open:
            var decision = FeePaymentDecision()
            decision.payment = [
                .failed(
                    PaymentAttemptFailed(
                        settlementNo: settlementNo, errorCode: errorCode!, gatewayMessage: gatewayMessage, failedAt: now
                    ))
            ]
            decision.applications = try FeeAttemptReleases.releases(
                started, applications: applications, reason: .failed)
            decision.result = .object([
                "settlementNo": .string(settlementNo.stringValue), "outcome": .string("failed"),
                "errorCode": .string(errorCode!.stringValue),
                "released": .array(started.items?.map { .string($0.receptionNo.stringValue) } ?? []),
            ])
            return decision
        case .succeeded:
            throw payment.wrongState("marked failed: the gateway already reported a capture")
        default:
            return FeePaymentDecision.noOp(settlementNo, payment)
        }
    }

    private func decideCapture(
        _ payment: PaymentState, _ started: PaymentAttemptStarted, applications: [ReceptionNo: ApplicationState],
        company: CompanyState, carts: [UserId: CartState], issueNumbers: [IssueNumber], refundId: UUID,
        chamberNames: [ChamberId: String], now: Date
    ) throws(Rejection) -> FeePaymentDecision {
        let captured = capturedAmountYen!
        if payment.recordedTransactionIds.contains(gatewayTransactionId) {
            return FeePaymentDecision.noOp(settlementNo, payment)
        }
        switch payment.status {
        case .succeeded:
            return try duplicateCapture(
                started, applications: applications, company: company, captured: captured,
                refundId: refundId)
        case .failed:
            return .unfit(
                UnfitMoney(
                    .attemptNoLongerOpen,
                    "the gateway captured \(captured.printed) for the card attempt after "
                        + "reporting it failed"))
        default:
            break
        }
        guard captured == started.amountYen else {
            return .unfit(
                UnfitMoney(
                    .wrongAmount,
                    "the gateway captured \(captured.printed) for the card attempt, which is for "
                        + "\(started.amountYen.printed); a different amount is never recorded as a success (P2). "
                        + "The attempt stays \(payment.status?.rawValue ?? "open")"))
        }
        let items = started.items ?? []
        var states: [(PaymentItem, ApplicationState)] = []
        for item in items {
            let application = applications[item.receptionNo] ?? ApplicationState()
            _ = try application.require(item.receptionNo)
            states.append((item, application))
        }
        let late = payment.status != .open
        if late {
            // R25: issue only if every item is still unpaid and linked to no other attempt.
            let allPayable = states.allSatisfy { $0.1.status == .awaitingPayment }
            if !allPayable {
                return try duplicateCapture(
                    started, applications: applications, company: company, captured: captured,
                    refundId: refundId)
            }
        } else {
            for (item, application) in states
            where application.status != .paymentPending || application.openSettlementNo != settlementNo {
                return .unfit(
                    UnfitMoney(
                        .attemptNoLongerOpen,
                        "an application of the attempt is \(application.status?.rawValue ?? "none") and no longer "
                            + "linked to it (I6 broken)"))
            }
        }
        return try issue(
            started, states, company: company, carts: carts, issueNumbers: issueNumbers,
            chamberNames: chamberNames, late: late, now: now)
    }

    /// A10 / A14: success, one statement per application, the applications issued.
    private func issue(
        _ started: PaymentAttemptStarted, _ states: [(PaymentItem, ApplicationState)], company: CompanyState,
        carts: [UserId: CartState], issueNumbers: [IssueNumber], chamberNames: [ChamberId: String], late: Bool,
        now: Date
    ) throws(Rejection) -> FeePaymentDecision {
        let settlementDate = JSTDate(instant: now)
        guard issueNumbers.count >= states.count, Set(issueNumbers).count == issueNumbers.count,
            issueNumbers.allSatisfy({ $0.date == settlementDate })
        else {
            throw .invalid(
                "issueNumbers",
                "the ledger must allocate \(states.count) distinct issue numbers dated "
                    + "\(settlementDate) (given \(issueNumbers.map(\.stringValue)))")
        }
        guard let profile = company.profile else {
            throw Rejection(
                .unknownCompany, "company \(started.tradeRegNo) of card attempt \(settlementNo) is not registered",
                details: ["tradeRegNo": .string(started.tradeRegNo.stringValue)])
        }
        var decision = FeePaymentDecision()
        decision.payment = [
            .succeeded(
                PaymentAttemptSucceeded(
                    settlementNo: settlementNo, gatewayTransactionId: gatewayTransactionId,
                    capturedAmountYen: started.amountYen,
                    paymentType: CardPaymentRules.lumpSum, cardBrand: cardBrand, threeDSecure: threeDSecure,
                    settledAt: now,
                    settlementDate: settlementDate, late: late))
        ]
        for ((item, application), issueNumber) in zip(states, issueNumbers) {
            let split = TaxSplit(amount: item.feeYen)
            let submitted = application.submitted!
            let certificateNumber = application.approved?.certificateNumber
            decision.payment.append(
                .statementIssued(
                    StatementIssued(
                        issueNumber: issueNumber, kind: .applicationFee, payerUserId: started.payerUserId,
                        issueDate: settlementDate, issuerName: CardPaymentRules.issuerName,
                        issuerRegistrationNumber: CardPaymentRules.issuerRegistrationNumber,
                        tradeRegNoAsPrinted: profile.tradeRegNoAsIssued, companyName: profile.companyName,
                        address: profile.address, department: profile.department,
                        issuingChamberName: chamberNames[submitted.chamberId], content: item.certificateKindLabel,
                        receptionNo: item.receptionNo, certificateNumber: certificateNumber,
                        invoiceNumber: item.invoiceNumber,
                        orderNo: nil, purchaseDescription: nil, settlementDate: settlementDate, amountYen: split.amount,
                        taxableAmountYen: split.taxableAmount, consumptionTaxYen: split.consumptionTax,
                        taxRatePercent: CardPaymentRules.taxRatePercent, paymentType: CardPaymentRules.lumpSum)))
            decision.applications[item.receptionNo] = [
                .issued(
                    ApplicationIssued(
                        receptionNo: item.receptionNo, paidBy: .card, settlementNo: settlementNo,
                        settlementDate: settlementDate,
                        issuedAt: now, certificateNumber: certificateNumber))
            ]
        }
        for (user, cart) in carts.sorted(by: { $0.key.stringValue < $1.key.stringValue }) {
            let removals = states.flatMap { cart.removal(of: $0.0.receptionNo, user: user, reason: .paidElsewhere) }
            if !removals.isEmpty { decision.carts[user] = removals }
        }
        decision.result = .object([
            "settlementNo": .string(settlementNo.stringValue), "outcome": .string("succeeded"), "late": .bool(late),
            "settlementDate": .string(settlementDate.stringValue),
            "issued": .array(states.map { .string($0.0.receptionNo.stringValue) }),
            "issueNumbers": .array(decision.issueNumbersUsed.map { .string($0.stringValue) }),
        ])
        return decision
    }

    /// R25: a capture that cannot pay its applications (already paid, linked elsewhere, no
    /// longer payable, or a second capture of a succeeded attempt) becomes a refund obligation.
    private func duplicateCapture(
        _ started: PaymentAttemptStarted, applications: [ReceptionNo: ApplicationState], company: CompanyState,
        captured: Yen, refundId: UUID
    ) throws(Rejection) -> FeePaymentDecision {
        let firstChamber = started.items?.first.flatMap { applications[$0.receptionNo]?.submitted?.chamberId }
        guard let chamber = firstChamber ?? company.profile?.chamberId else {
            throw Rejection(
                .unknownCompany, "company \(started.tradeRegNo) of card attempt \(settlementNo) is not registered",
                details: ["tradeRegNo": .string(started.tradeRegNo.stringValue)])
        }
        guard captured > .zero else {
            throw .invalid("capturedAmountYen", "a capture of 0 yen owes no refund")
        }
        var decision = FeePaymentDecision()
        decision.payment = [
            .refundDue(
                RefundBecameDue(
                    refundId: refundId, reason: .duplicateCapture, basisYen: captured, costsDeductible: false,
                    depositId: nil,
                    settlementNo: settlementNo, tradeRegNo: started.tradeRegNo, refundingChamberId: chamber,
                    gatewayTransactionId: gatewayTransactionId))
        ]
        decision.result = .object([
            "settlementNo": .string(settlementNo.stringValue), "outcome": .string("duplicateCapture"),
            "refundId": .string(refundId.uuidString.lowercased()), "basisYen": .int(captured.value),
        ])
        return decision
    }
}
