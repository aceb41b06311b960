import Foundation

/// StartCardPayment (COMMANDS.md; A9, P1): pays the actor's whole cart. 「決済する（N件分）」.
public struct StartCardPayment: Sendable, Hashable, Codable {
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
            throw .invalid(
                "settlementNo",
                "the ledger allocated \(settlementNo), which is not for company "
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
                    details: [
                        "receptionNo": .string(receptionNo.stringValue),
                        "feeYen": .int(approved.feeYen.value), "cartFeeYen": .int(item.feeYen.value),
                    ])
            }
            items.append(
                PaymentItem(
                    receptionNo: receptionNo, certificateKind: submitted.certificateKind,
                    certificateKindLabel: submitted.certificateKindLabel, invoiceNumber: submitted.invoiceNumber,
                    applicationDate: submitted.applicationDate, applicantName: submitted.applicantName,
                    feeYen: approved.feeYen))
            links[receptionNo] = [
                .paymentLinked(
                    ApplicationPaymentLinked(
                        receptionNo: receptionNo, settlementNo: settlementNo, payerUserId: payer,
                        feeYen: approved.feeYen))
            ]
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
        decision.payment = [
            .started(
                PaymentAttemptStarted(
                    settlementNo: settlementNo, purpose: .applicationFees, payerUserId: payer, tradeRegNo: tradeRegNo,
                    items: items, orderNo: nil, itemCount: itemCount, amountYen: amount, productLabel: label,
                    startedAt: now, deadlineAt: deadline))
        ]
        decision.applications = links
        decision.carts = [
            payer: [
                .checkedOut(
                    CartCheckedOut(
                        userId: payer, settlementNo: settlementNo, receptionNos: receptionNos, amountYen: amount))
            ]
        ]
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
