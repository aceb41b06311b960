import Foundation

extension RecordGatewayResult {
    /// Decides a gateway result for a card coupon order (`purpose: couponOrder`).
    ///
    /// Checks, in this order: the fields the outcome needs (`invalidCommand`); the attempt
    /// exists (`unknownSettlement`), is for a coupon order (`wrongState`) that was loaded
    /// (`unknownOrder`). Then:
    /// - **succeeded**: a `gatewayTransactionId` already recorded is a no-op (I20). On a
    ///   Succeeded attempt another capture becomes `RefundBecameDue{duplicateCapture}` on the
    ///   payment stream; on a Failed one: `unfit: attemptNoLongerOpen` (P6 allows a late capture
    ///   only after a timeout or abandonment; the glue records it in the suspense account). A
    ///   captured amount ≠ the order amount: `unfit: wrongAmount`, no success recorded (P2, I7). Otherwise `PaymentAttemptSucceeded{late:
    ///   attempt not Open}` + `StatementIssued{couponPurchase}` (payment) +
    ///   `CouponOrderFulfilled` (order) + `CouponsIssued{trigger: card}` (company); when the
    ///   order was AwaitingCardAuth also `CouponPurchaseClosed{fulfilled}` (O11), else the
    ///   fulfilment is late and the lock is not touched (O13).
    /// - **failed** on an Open attempt: `PaymentAttemptFailed` + `CouponOrderPaymentFailed
    ///   {failed}` + `CouponPurchaseClosed{paymentFailed}` (O12). On an attempt already ended
    ///   unpaid: no-op. On a Succeeded one: `wrongState`.
    ///
    /// - Parameters:
    ///   - issueNumber: allocated for the settlement date (JST today); used only on success.
    ///   - refundId: used only if a duplicate capture becomes due.
    public func decideCouponOrder(
        _ payment: PaymentState, order: CouponOrderState, company: CompanyState, issueNumber: IssueNumber,
        refundId: UUID, now: Date
    ) throws(Rejection) -> CouponOrderDecision {
        try validateFields()
        let (started, placed) = try payment.requireCouponOrder(order)
        switch outcome {
        case .failed:
            switch payment.status {
            case .open:
                let event = PaymentEvent.failed(
                    PaymentAttemptFailed(
                        settlementNo: settlementNo, errorCode: errorCode!, gatewayMessage: gatewayMessage, failedAt: now
                    ))
                return endCardAttempt(
                    event, cause: .failed, errorCode: errorCode, order: order, placed: placed,
                    started: started)
            case .succeeded:
                throw payment.wrongState("marked failed: the gateway already reported a capture")
            default:
                return noOp(order, payment, started)
            }
        case .succeeded:
            break
        }
        let captured = capturedAmountYen!
        if payment.recordedTransactionIds.contains(gatewayTransactionId) { return noOp(order, payment, started) }
        switch payment.status {
        case .succeeded:
            guard captured > .zero else { throw .invalid("capturedAmountYen", "a capture of 0 yen owes no refund") }
            var decision = CouponOrderDecision()
            decision.payment = [
                .refundDue(
                    RefundBecameDue(
                        refundId: refundId, reason: .duplicateCapture, basisYen: captured, costsDeductible: false,
                        depositId: nil,
                        settlementNo: settlementNo, tradeRegNo: placed.tradeRegNo, refundingChamberId: placed.chamberId,
                        gatewayTransactionId: gatewayTransactionId))
            ]
            decision.result = orderResult(
                order, decision,
                extra: [
                    "settlementNo": .string(settlementNo.stringValue), "outcome": .string("duplicateCapture"),
                ])
            return decision
        case .failed:
            return .unfit(
                UnfitMoney(
                    .attemptNoLongerOpen,
                    "the gateway captured \(captured.printed) for the card attempt of a "
                        + "coupon order after reporting it failed"))
        default:
            break
        }
        guard captured == started.amountYen else {
            return .unfit(
                UnfitMoney(
                    .wrongAmount,
                    "the gateway captured \(captured.printed) for the card attempt of a "
                        + "coupon order, which is for \(started.amountYen.printed); a different amount is never "
                        + "recorded as a success (P2)"))
        }
        let orderOpen = order.status == .awaitingCardAuth
        guard orderOpen || order.status == .paymentFailed || order.status == .cancelled else {
            return .unfit(
                UnfitMoney(
                    .attemptNoLongerOpen,
                    "the gateway captured \(captured.printed) for the card attempt, but its "
                        + "coupon order is \(order.status?.rawValue ?? "none") and cannot be fulfilled by it"))
        }
        let settlementDate = JSTDate(instant: now)
        guard issueNumber.date == settlementDate else {
            throw .invalid(
                "issueNumber",
                "the ledger must allocate an issue number dated \(settlementDate) "
                    + "(given \(issueNumber))")
        }
        guard let profile = company.profile else {
            throw Rejection(
                .unknownCompany, "company \(placed.tradeRegNo) of coupon order \(placed.orderNo) is not registered",
                details: ["tradeRegNo": .string(placed.tradeRegNo.stringValue)])
        }
        let issued = try company.issuing(placed, trigger: .card, staff: nil, issueDate: settlementDate)
        var decision = CouponOrderDecision()
        decision.payment = [
            .succeeded(
                PaymentAttemptSucceeded(
                    settlementNo: settlementNo, gatewayTransactionId: gatewayTransactionId, capturedAmountYen: captured,
                    paymentType: CardPaymentRules.lumpSum, cardBrand: cardBrand, threeDSecure: threeDSecure,
                    settledAt: now,
                    settlementDate: settlementDate, late: payment.status != .open)),
            .statementIssued(
                StatementIssued(
                    issueNumber: issueNumber, kind: .couponPurchase, payerUserId: started.payerUserId,
                    issueDate: settlementDate, issuerName: CardPaymentRules.issuerName,
                    issuerRegistrationNumber: CardPaymentRules.issuerRegistrationNumber,
                    tradeRegNoAsPrinted: profile.tradeRegNoAsIssued, companyName: profile.companyName,
                    address: profile.address, department: profile.department, issuingChamberName: nil,
                    content: CouponOrderRules.statementContent, receptionNo: nil, certificateNumber: nil,
                    invoiceNumber: nil, orderNo: placed.orderNo,
                    purchaseDescription: CouponOrderRules.purchaseDescription(placed.lines),
                    settlementDate: settlementDate, amountYen: placed.amountYen,
                    taxableAmountYen: placed.taxableAmountYen, consumptionTaxYen: placed.consumptionTaxYen,
                    taxRatePercent: CardPaymentRules.taxRatePercent, paymentType: CardPaymentRules.lumpSum)),
        ]
        decision.order = [
            .fulfilled(
                CouponOrderFulfilled(
                    orderNo: placed.orderNo, coupons: placed.totalCoupons, settledAmountYen: captured,
                    confirmationDate: settlementDate, settlementNo: settlementNo, late: !orderOpen))
        ]
        decision.company = [.couponsIssued(issued)]
        if orderOpen {
            decision.company.append(.purchaseClosed(CouponPurchaseClosed(orderNo: placed.orderNo, outcome: .fulfilled)))
        }
        decision.result = orderResult(
            order, decision,
            extra: [
                "settlementNo": .string(settlementNo.stringValue), "outcome": .string("succeeded"),
                "late": .bool(!orderOpen), "settlementDate": .string(settlementDate.stringValue),
                "issueNumber": .string(issueNumber.stringValue),
            ])
        return decision
    }
}
