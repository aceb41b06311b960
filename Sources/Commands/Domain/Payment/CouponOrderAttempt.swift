import Foundation

extension PaymentState {
    /// The coupon order of a `purpose: couponOrder` attempt, checked against `order`.
    func requireCouponOrder(_ order: CouponOrderState) throws(Rejection) -> (PaymentAttemptStarted, CouponOrderPlaced) {
        guard let started else { throw Rejection(.unknownSettlement, "no card payment attempt was started") }
        guard started.purpose == .couponOrder, let orderNo = started.orderNo else {
            throw Rejection(
                .wrongState,
                "card attempt \(started.settlementNo) pays application fees, not a coupon order; it is handled by "
                    + "the fee-payment commands",
                details: ["state": .string(status?.rawValue ?? "none"), "purpose": .string(started.purpose.rawValue)])
        }
        let placed = try order.require(orderNo)
        guard placed.orderNo == orderNo else {
            throw Rejection(
                .unknownOrder,
                "card attempt \(started.settlementNo) is for coupon order \(orderNo), "
                    + "not \(placed.orderNo)", details: ["orderNo": .string(orderNo.stringValue)])
        }
        return (started, placed)
    }
}

/// O12: the attempt ended unpaid. The order (if still awaiting the card) fails and the lock
/// is released; an order already closed (cancelled by staff) is left as it is.
func endCardAttempt(
    _ event: PaymentEvent, cause: CouponPaymentFailureCause, errorCode: GatewayErrorCode?, order: CouponOrderState,
    placed: CouponOrderPlaced, started: PaymentAttemptStarted
) -> CouponOrderDecision {
    var decision = CouponOrderDecision()
    decision.payment = [event]
    if order.status == .awaitingCardAuth {
        decision.order = [
            .paymentFailed(
                CouponOrderPaymentFailed(
                    orderNo: placed.orderNo, settlementNo: started.settlementNo, cause: cause, errorCode: errorCode))
        ]
        decision.company = [.purchaseClosed(CouponPurchaseClosed(orderNo: placed.orderNo, outcome: .paymentFailed))]
    }
    decision.result = orderResult(
        order, decision,
        extra: [
            "settlementNo": .string(started.settlementNo.stringValue), "outcome": .string(cause.rawValue),
        ])
    return decision
}

func noOp(_ order: CouponOrderState, _ payment: PaymentState, _ started: PaymentAttemptStarted) -> CouponOrderDecision {
    var decision = CouponOrderDecision()
    decision.result = orderResult(
        order, decision,
        extra: [
            "settlementNo": .string(started.settlementNo.stringValue), "outcome": .string("alreadyRecorded"),
            "paymentState": .string(payment.status?.rawValue ?? "none"),
        ])
    return decision
}
