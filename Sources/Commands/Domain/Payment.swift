import Foundation

// The card payment attempt for application fees (`payment-<settlementNo>`, DOMAIN.md §5.2,
// §6.5): starting it from a cart, the gateway's result, abandonment, the deadline sweep, late
// and duplicate captures (R25, A14, P6), and the per-application credit statements (R26-R29).
// Pure: states, the acting user, `now` and every number the ledger allocates come in as
// arguments; events come out per stream.

/// Fixed values of card attempts and fee statements.
public enum CardPaymentRules {
    /// 「決済サイトにて5分以内に決済を完了してください。」 (R19): deadlineAt = startedAt + 300 s.
    public static let windowSeconds: TimeInterval = 300
    /// The sweeper waits this long past the deadline before timing an attempt out (A12, P4) [I].
    public static let sweepGraceSeconds: TimeInterval = 120
    /// 支払区分 一括: the only payment type (R24).
    public static let lumpSum = "lumpSum"
    /// The statement issuer (R28; seed L293-294).
    public static let issuerName = "日本商工会議所"
    /// The issuer's qualified-invoice registration number (登録番号).
    public static let issuerRegistrationNumber = "T5010005003975"
    /// The consumption tax rate printed on statements (内 消費税額(10%)).
    public static let taxRatePercent = 10

    /// The gateway's product name for a fee cart: 「貿易関係証明発給システム 2申請分手数料」 (seed L87).
    public static func feeProductLabel(itemCount: Int) -> String {
        "貿易関係証明発給システム \(itemCount)申請分手数料"
    }
}

/// Timestamps as the contract prints them: RFC 3339 with the JST offset, e.g.
/// "2025-03-17T10:05:00+09:00" (DOMAIN.md §0, COMMANDS.md results). Fractional seconds are
/// printed (6 digits) only when the instant has them.
public enum JSTTimestamp {
    public static func rfc3339(_ instant: Date) -> String {
        let interval = instant.timeIntervalSince1970
        let floor = interval.rounded(.down)
        var seconds = Int64(floor)
        var micros = Int64(((interval - floor) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        let date = JSTDate(epochSeconds: seconds)
        let local = seconds + Int64(JSTDate.utcOffsetSeconds)
        let secondOfDay = Int(((local % 86_400) + 86_400) % 86_400)
        var text = date.stringValue + "T" + ASCIIDigits.padded(secondOfDay / 3600, width: 2) + ":"
            + ASCIIDigits.padded(secondOfDay % 3600 / 60, width: 2) + ":" + ASCIIDigits.padded(secondOfDay % 60, width: 2)
        if micros > 0 { text += "." + ASCIIDigits.padded(Int(micros), width: 6) }
        return text + "+09:00"
    }
}

/// One card attempt (`payment-<settlementNo>`, §5.2), for either purpose.
public struct PaymentState: Sendable, Hashable {
    /// The attempt states of §5.2.
    public enum Status: String, Sendable, Hashable {
        case open, succeeded, failed, timedOut, abandoned
    }

    public var started: PaymentAttemptStarted?
    public var status: Status?
    public var succeeded: PaymentAttemptSucceeded?
    public var failed: PaymentAttemptFailed?
    public var timedOut: PaymentAttemptTimedOut?
    public var abandoned: PaymentAttemptAbandoned?
    /// The statements issued at settlement (R29), in order.
    public var statements: [StatementIssued] = []
    public var refundsDue: [RefundBecameDue] = []
    public var refundsRecorded: [RefundRecorded] = []

    public init() {}

    public var exists: Bool { started != nil }

    /// The application-fee items (empty for a coupon order).
    public var items: [PaymentItem] { started?.items ?? [] }

    /// True while the gateway may still complete the attempt in the ledger's view (P2-P5).
    public var isOpen: Bool { status == .open }

    /// True when the sweeper should end the attempt: it is Open and
    /// `now ≥ deadlineAt + grace` (A12, P4; EX-3(b): deadline 10:05:00 → due at 10:07:00).
    public func isOverdue(now: Date, grace: TimeInterval = CardPaymentRules.sweepGraceSeconds) -> Bool {
        guard isOpen, let started else { return false }
        return now >= started.deadlineAt.addingTimeInterval(grace)
    }

    /// The gateway captures already recorded: the success and any duplicate-capture refunds (I20).
    public var recordedTransactionIds: Set<GatewayTransactionId> {
        var ids = Set(refundsDue.compactMap(\.gatewayTransactionId))
        if let succeeded { ids.insert(succeeded.gatewayTransactionId) }
        return ids
    }

    public static func evolve(_ state: PaymentState, _ event: PaymentEvent) -> PaymentState {
        var state = state
        switch event {
        case .started(let e):
            state.started = e
            state.status = .open
        case .succeeded(let e):
            state.succeeded = e
            state.status = .succeeded
        case .failed(let e):
            state.failed = e
            state.status = .failed
        case .timedOut(let e):
            state.timedOut = e
            state.status = .timedOut
        case .abandoned(let e):
            state.abandoned = e
            state.status = .abandoned
        case .statementIssued(let e):
            state.statements.append(e)
        case .refundDue(let e):
            state.refundsDue.append(e)
        case .refundRecorded(let e):
            state.refundsRecorded.append(e)
        }
        return state
    }

    func require(_ settlementNo: SettlementNo) throws(Rejection) -> PaymentAttemptStarted {
        guard let started else {
            throw Rejection(.unknownSettlement, "no card payment attempt \(settlementNo) was started",
                            details: ["settlementNo": .string(settlementNo.stringValue)])
        }
        return started
    }

    func requireApplicationFees(_ started: PaymentAttemptStarted) throws(Rejection) {
        guard started.purpose == .applicationFees else {
            throw Rejection(
                .wrongState,
                "card attempt \(started.settlementNo) pays coupon order \(started.orderNo?.stringValue ?? "?"), "
                    + "not application fees; it is handled by the coupon-order commands",
                details: ["state": .string(status?.rawValue ?? "none"), "purpose": .string(started.purpose.rawValue)])
        }
    }

    func wrongState(_ action: String) -> Rejection {
        let state = status?.rawValue ?? "none"
        let number = started?.settlementNo.stringValue ?? "?"
        return .wrongState("card attempt \(number) is \(state); it cannot be \(action)", state: state)
    }
}

/// The events one fee-payment command appends, per stream, and the caller's result. Streams
/// with no events are absent. The glue appends all of them in one transaction (§6.8); an empty
/// decision (`isEmpty`) is a no-op such as a re-delivered gateway notification (I20).
public struct FeePaymentDecision: Sendable, Hashable {
    /// `payment-<settlementNo>`.
    public var payment: [PaymentEvent] = []
    /// `application-<receptionNo>` for each application involved.
    public var applications: [ReceptionNo: [ApplicationEvent]] = [:]
    /// `cart-<userId>` for each cart changed (the payer's checkout; `paidElsewhere` removals).
    public var carts: [UserId: [CartEvent]] = [:]
    /// What COMMANDS.md says the caller gets.
    public var result: JSONValue = .object([:])

    public init() {}

    public var isEmpty: Bool {
        payment.isEmpty && applications.values.allSatisfy(\.isEmpty) && carts.values.allSatisfy(\.isEmpty)
    }

    /// The issue numbers of the statements this decision issues, in order (for the glue's
    /// counter stream).
    public var issueNumbersUsed: [IssueNumber] {
        payment.compactMap { if case .statementIssued(let s) = $0 { s.issueNumber } else { nil } }
    }
}

// MARK: - StartCardPayment

/// StartCardPayment (COMMANDS.md; A9, P1): pays the actor's whole cart. 「決済する（N件分）」.
public struct StartCardPayment: Sendable, Hashable, Decodable {
    public init() {}

    /// Checks, in this order: `settlementNo` was allocated for the payer's company today
    /// (`invalidCommand`, a glue error); the cart is not empty (`cartEmpty`); then each item in
    /// cart order: the application was loaded and exists (`unknownApplication`), belongs to the
    /// payer's company (`forbidden`), is card-payable (`notCardPayable`, R5), is AwaitingPayment
    /// (`wrongState`; PaymentPending = being paid elsewhere, EX-20), and its approved fee is
    /// the one in the cart (`amountMismatch`, A9 "fee unchanged"); finally Σ fees > 0.
    ///
    /// `applications` must hold the state of every application in the cart; the glue appends
    /// each application's event at the version it loaded, so a concurrent link makes the whole
    /// command fail (I6, EX-20).
    public func decide(
        _ cart: CartState, applications: [ReceptionNo: ApplicationState], payer: UserId, tradeRegNo: TradeRegNo,
        settlementNo: SettlementNo, now: Date
    ) throws(Rejection) -> FeePaymentDecision {
        guard settlementNo.tradeRegNo == tradeRegNo, settlementNo.date == JSTDate(instant: now) else {
            throw .invalid("settlementNo", "the ledger allocated \(settlementNo), which is not for company "
                           + "\(tradeRegNo) on \(JSTDate(instant: now))")
        }
        guard !cart.isEmpty else {
            throw Rejection(.cartEmpty, "your cart is empty; add approved applications (カートに追加) first")
        }
        var items: [PaymentItem] = []
        var links: [ReceptionNo: [ApplicationEvent]] = [:]
        for item in cart.items {
            let receptionNo = item.receptionNo
            let application = applications[receptionNo] ?? ApplicationState()
            let submitted = try application.require(receptionNo)
            try application.requireCompany(submitted, tradeRegNo)
            try application.requireCardPayable(submitted)
            try application.requireAwaitingPayment(receptionNo, "paid")
            guard let approved = application.approved else {
                throw .wrongState("application \(receptionNo) has no approved fee", state: "awaitingPayment")
            }
            guard approved.feeYen == item.feeYen else {
                throw Rejection(
                    .amountMismatch,
                    "the fee of application \(receptionNo) is \(approved.feeYen.printed), not the "
                        + "\(item.feeYen.printed) in your cart; remove it and add it again",
                    details: ["receptionNo": .string(receptionNo.stringValue),
                              "feeYen": .int(approved.feeYen.value), "cartFeeYen": .int(item.feeYen.value)])
            }
            items.append(PaymentItem(
                receptionNo: receptionNo, certificateKind: submitted.certificateKind,
                certificateKindLabel: submitted.certificateKindLabel, invoiceNumber: submitted.invoiceNumber,
                applicationDate: submitted.applicationDate, applicantName: submitted.applicantName,
                feeYen: approved.feeYen))
            links[receptionNo] = [.paymentLinked(ApplicationPaymentLinked(
                receptionNo: receptionNo, settlementNo: settlementNo, payerUserId: payer, feeYen: approved.feeYen))]
        }
        let amount: Yen
        do {
            amount = try Yen.sum(items.map(\.feeYen))
        } catch {
            throw .invalid("cart", "the fees in the cart add up to more than the ledger can hold")
        }
        guard amount > .zero, let itemCount = Count(exactly: items.count) else {
            throw .invalid("cart", "the cart totals 0 yen; there is nothing to pay")
        }
        let label = CardPaymentRules.feeProductLabel(itemCount: items.count)
        let deadline = now.addingTimeInterval(CardPaymentRules.windowSeconds)
        let receptionNos = items.map(\.receptionNo)
        var decision = FeePaymentDecision()
        decision.payment = [.started(PaymentAttemptStarted(
            settlementNo: settlementNo, purpose: .applicationFees, payerUserId: payer, tradeRegNo: tradeRegNo,
            items: items, orderNo: nil, itemCount: itemCount, amountYen: amount, productLabel: label,
            startedAt: now, deadlineAt: deadline))]
        decision.applications = links
        decision.carts = [payer: [.checkedOut(CartCheckedOut(
            userId: payer, settlementNo: settlementNo, receptionNos: receptionNos, amountYen: amount))]]
        decision.result = .object([
            "settlementNo": .string(settlementNo.stringValue),
            "amountYen": .int(amount.value),
            "itemCount": .int(Int64(itemCount.value)),
            "productLabel": .string(label),
            "deadlineAt": .string(JSTTimestamp.rfc3339(deadline)),
            "receptionNos": .array(receptionNos.map { .string($0.stringValue) }),
        ])
        return decision
    }
}

// MARK: - RecordGatewayResult (application fees)

/// RecordGatewayResult (COMMANDS.md): the gateway's notification or status-query answer for
/// one attempt. This file decides it for `purpose: applicationFees`.
///
/// `paymentType` is not in COMMANDS.md's field list; it is accepted here (absent = "lumpSum")
/// so that anything other than 一括 can be refused (R24).
public struct RecordGatewayResult: Sendable, Hashable, Decodable {
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
    ///   On a Failed attempt: `wrongState` (contradictory; staff resolve it).
    ///   A captured amount ≠ `amountYen`: `amountMismatch`, nothing recorded (P2, I7).
    ///   Open (P2, A10): `PaymentAttemptSucceeded` + one `StatementIssued` per item, and
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
            guard capturedAmountYen != nil else {
                throw .invalid("capturedAmountYen", "a succeeded result must give the captured amount")
            }
            if let paymentType, paymentType != CardPaymentRules.lumpSum {
                throw .invalid("paymentType", "is \"\(paymentType)\"; only \"lumpSum\" (支払区分 一括) is accepted (R24)")
            }
        case .failed:
            guard errorCode != nil else { throw .invalid("errorCode", "a failed result must give the gateway's error code") }
        }
        try TextRules.optional(gatewayMessage, field: "gatewayMessage", maximum: 500)
    }

    private func decideFailure(
        _ payment: PaymentState, _ started: PaymentAttemptStarted, applications: [ReceptionNo: ApplicationState], now: Date
    ) throws(Rejection) -> FeePaymentDecision {
        switch payment.status {
        case .open:
            var decision = FeePaymentDecision()
            decision.payment = [.failed(PaymentAttemptFailed(
                settlementNo: settlementNo, errorCode: errorCode!, gatewayMessage: gatewayMessage, failedAt: now))]
            decision.applications = try FeeAttemptReleases.releases(started, applications: applications, reason: .failed)
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
            return try duplicateCapture(started, applications: applications, company: company, captured: captured,
                                        refundId: refundId)
        case .failed:
            throw payment.wrongState("marked succeeded: the gateway reported it failed; staff must resolve the capture")
        default:
            break
        }
        guard captured == started.amountYen else {
            throw Rejection(
                .amountMismatch,
                "the gateway captured \(captured.printed) for card attempt \(settlementNo), which is for "
                    + "\(started.amountYen.printed); a different amount is never recorded as a success (P2). "
                    + "The attempt stays \(payment.status?.rawValue ?? "open"); staff must resolve it",
                details: ["settlementNo": .string(settlementNo.stringValue), "capturedAmountYen": .int(captured.value),
                          "amountYen": .int(started.amountYen.value), "state": .string(payment.status?.rawValue ?? "none")])
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
                return try duplicateCapture(started, applications: applications, company: company, captured: captured,
                                            refundId: refundId)
            }
        } else {
            for (item, application) in states
            where application.status != .paymentPending || application.openSettlementNo != settlementNo {
                throw Rejection(
                    .wrongState,
                    "application \(item.receptionNo) is \(application.status?.rawValue ?? "none") and not linked to "
                        + "open card attempt \(settlementNo) (I6 broken); staff must resolve the capture",
                    details: ["state": .string(application.status?.rawValue ?? "none"),
                              "receptionNo": .string(item.receptionNo.stringValue)])
            }
        }
        return try issue(started, states, company: company, carts: carts, issueNumbers: issueNumbers,
                         chamberNames: chamberNames, late: late, now: now)
    }

    /// A10 / A14: success, one statement per application, the applications issued.
    private func issue(
        _ started: PaymentAttemptStarted, _ states: [(PaymentItem, ApplicationState)], company: CompanyState,
        carts: [UserId: CartState], issueNumbers: [IssueNumber], chamberNames: [ChamberId: String], late: Bool, now: Date
    ) throws(Rejection) -> FeePaymentDecision {
        let settlementDate = JSTDate(instant: now)
        guard issueNumbers.count >= states.count, Set(issueNumbers).count == issueNumbers.count,
              issueNumbers.allSatisfy({ $0.date == settlementDate })
        else {
            throw .invalid("issueNumbers", "the ledger must allocate \(states.count) distinct issue numbers dated "
                           + "\(settlementDate) (given \(issueNumbers.map(\.stringValue)))")
        }
        guard let profile = company.profile else {
            throw Rejection(.unknownCompany, "company \(started.tradeRegNo) of card attempt \(settlementNo) is not registered",
                            details: ["tradeRegNo": .string(started.tradeRegNo.stringValue)])
        }
        var decision = FeePaymentDecision()
        decision.payment = [.succeeded(PaymentAttemptSucceeded(
            settlementNo: settlementNo, gatewayTransactionId: gatewayTransactionId, capturedAmountYen: started.amountYen,
            paymentType: CardPaymentRules.lumpSum, cardBrand: cardBrand, threeDSecure: threeDSecure, settledAt: now,
            settlementDate: settlementDate, late: late))]
        for ((item, application), issueNumber) in zip(states, issueNumbers) {
            let split = TaxSplit(amount: item.feeYen)
            let submitted = application.submitted!
            let certificateNumber = application.approved?.certificateNumber
            decision.payment.append(.statementIssued(StatementIssued(
                issueNumber: issueNumber, kind: .applicationFee, payerUserId: started.payerUserId,
                issueDate: settlementDate, issuerName: CardPaymentRules.issuerName,
                issuerRegistrationNumber: CardPaymentRules.issuerRegistrationNumber,
                tradeRegNoAsPrinted: profile.tradeRegNoAsIssued, companyName: profile.companyName,
                address: profile.address, department: profile.department,
                issuingChamberName: chamberNames[submitted.chamberId], content: item.certificateKindLabel,
                receptionNo: item.receptionNo, certificateNumber: certificateNumber, invoiceNumber: item.invoiceNumber,
                orderNo: nil, purchaseDescription: nil, settlementDate: settlementDate, amountYen: split.amount,
                taxableAmountYen: split.taxableAmount, consumptionTaxYen: split.consumptionTax,
                taxRatePercent: CardPaymentRules.taxRatePercent, paymentType: CardPaymentRules.lumpSum)))
            decision.applications[item.receptionNo] = [.issued(ApplicationIssued(
                receptionNo: item.receptionNo, paidBy: .card, settlementNo: settlementNo, settlementDate: settlementDate,
                issuedAt: now, certificateNumber: certificateNumber))]
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
            throw Rejection(.unknownCompany, "company \(started.tradeRegNo) of card attempt \(settlementNo) is not registered",
                            details: ["tradeRegNo": .string(started.tradeRegNo.stringValue)])
        }
        guard captured > .zero else {
            throw .invalid("capturedAmountYen", "a capture of 0 yen owes no refund")
        }
        var decision = FeePaymentDecision()
        decision.payment = [.refundDue(RefundBecameDue(
            refundId: refundId, reason: .duplicateCapture, basisYen: captured, costsDeductible: false, depositId: nil,
            settlementNo: settlementNo, tradeRegNo: started.tradeRegNo, refundingChamberId: chamber,
            gatewayTransactionId: gatewayTransactionId))]
        decision.result = .object([
            "settlementNo": .string(settlementNo.stringValue), "outcome": .string("duplicateCapture"),
            "refundId": .string(refundId.uuidString.lowercased()), "basisYen": .int(captured.value),
        ])
        return decision
    }
}

extension FeePaymentDecision {
    /// Nothing to record: the fact is already in the stream (I20) or changes nothing.
    static func noOp(_ settlementNo: SettlementNo, _ payment: PaymentState) -> FeePaymentDecision {
        var decision = FeePaymentDecision()
        decision.result = .object([
            "settlementNo": .string(settlementNo.stringValue), "outcome": .string("alreadyRecorded"),
            "state": .string(payment.status?.rawValue ?? "none"),
        ])
        return decision
    }
}

/// The releases of an attempt that ended unpaid (A11-A13).
enum FeeAttemptReleases {
    /// `ApplicationPaymentReleased{reason}` for each item still linked to this attempt. Every
    /// item's application must be loaded (`unknownApplication` otherwise).
    static func releases(
        _ started: PaymentAttemptStarted, applications: [ReceptionNo: ApplicationState], reason: PaymentReleaseReason
    ) throws(Rejection) -> [ReceptionNo: [ApplicationEvent]] {
        var events: [ReceptionNo: [ApplicationEvent]] = [:]
        for item in started.items ?? [] {
            let application = applications[item.receptionNo] ?? ApplicationState()
            _ = try application.require(item.receptionNo)
            guard application.status == .paymentPending, application.openSettlementNo == started.settlementNo else { continue }
            events[item.receptionNo] = [.paymentReleased(ApplicationPaymentReleased(
                receptionNo: item.receptionNo, settlementNo: started.settlementNo, reason: reason))]
        }
        return events
    }
}

// MARK: - AbandonCardPayment

/// AbandonCardPayment (COMMANDS.md; A13, P5): the payer pressed 決済をやめる. This file decides
/// it for `purpose: applicationFees`.
public struct AbandonCardPayment: Sendable, Hashable, Decodable {
    public var settlementNo: SettlementNo

    public init(settlementNo: SettlementNo) { self.settlementNo = settlementNo }

    /// Checks, in this order: the attempt exists (`unknownSettlement`), pays application fees
    /// (`wrongState`), `user` is its payer (`forbidden`), it is Open (`wrongState`).
    /// Appends `PaymentAttemptAbandoned` + `ApplicationPaymentReleased{abandoned}` per linked
    /// application; the items do not go back into the cart (EX-3(a)).
    public func decide(
        _ payment: PaymentState, applications: [ReceptionNo: ApplicationState], user: UserId, now: Date
    ) throws(Rejection) -> FeePaymentDecision {
        let started = try payment.require(settlementNo)
        try payment.requireApplicationFees(started)
        guard started.payerUserId == user else {
            throw Rejection(.forbidden, "only the payer (\(started.payerUserId)) can abandon card attempt \(settlementNo)",
                            details: ["settlementNo": .string(settlementNo.stringValue)])
        }
        guard payment.isOpen else { throw payment.wrongState("abandoned") }
        var decision = FeePaymentDecision()
        decision.payment = [.abandoned(PaymentAttemptAbandoned(settlementNo: settlementNo, byUserId: user, abandonedAt: now))]
        decision.applications = try FeeAttemptReleases.releases(started, applications: applications, reason: .abandoned)
        decision.result = .object([
            "settlementNo": .string(settlementNo.stringValue), "outcome": .string("abandoned"),
            "released": .array(decision.applications.keys.sorted { $0.stringValue < $1.stringValue }
                .map { .string($0.stringValue) }),
        ])
        return decision
    }
}

// MARK: - SweepDeadlines (payment part)

/// The payment part of SweepDeadlines (COMMANDS.md; A12, P4) for one application-fee attempt.
public enum FeePaymentSweep {
    /// Times the attempt out when it is Open and `now ≥ deadlineAt + 120 s`; otherwise returns
    /// an empty decision (nothing to do). `gatewayStatus` is the answer of the gateway's status
    /// query: when the gateway reports a capture instead, the glue records it with
    /// `RecordGatewayResult` and does not call this. Throws `unknownSettlement`, or
    /// `wrongState` for a coupon-order attempt (swept by the coupon-order side).
    public static func decide(
        _ payment: PaymentState, applications: [ReceptionNo: ApplicationState], now: Date, gatewayStatus: GatewayStatus
    ) throws(Rejection) -> FeePaymentDecision {
        guard let started = payment.started else {
            throw Rejection(.unknownSettlement, "no card payment attempt was started")
        }
        try payment.requireApplicationFees(started)
        guard payment.isOverdue(now: now) else { return FeePaymentDecision() }
        var decision = FeePaymentDecision()
        decision.payment = [.timedOut(PaymentAttemptTimedOut(
            settlementNo: started.settlementNo, deadlineAt: started.deadlineAt, detectedAt: now, gatewayStatus: gatewayStatus))]
        decision.applications = try FeeAttemptReleases.releases(started, applications: applications, reason: .timedOut)
        decision.result = .object([
            "settlementNo": .string(started.settlementNo.stringValue), "outcome": .string("timedOut"),
            "released": .array(decision.applications.keys.sorted { $0.stringValue < $1.stringValue }
                .map { .string($0.stringValue) }),
        ])
        return decision
    }
}
