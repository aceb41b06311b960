import Foundation

/// The card part of SweepDeadlines for a coupon-order attempt (R19, R62, P4, O12).
public enum CouponOrderPaymentSweep {
    /// Times the attempt out when it is Open and `now ≥ deadlineAt + 120 s` (plus
    /// `CouponOrderPaymentFailed{timedOut}` + `CouponPurchaseClosed{paymentFailed}` if the order
    /// still awaits the card); otherwise an empty decision. When the gateway's status query
    /// reports a capture, the glue records it with `RecordGatewayResult` instead.
    public static func decide(
        _ payment: PaymentState, order: CouponOrderState, now: Date, gatewayStatus: GatewayStatus
    ) throws(Rejection) -> CouponOrderDecision {
        let (started, placed) = try payment.requireCouponOrder(order)
        guard payment.isOverdue(now: now) else { return CouponOrderDecision() }
        let event = PaymentEvent.timedOut(
            PaymentAttemptTimedOut(
                settlementNo: started.settlementNo, deadlineAt: started.deadlineAt, detectedAt: now,
                gatewayStatus: gatewayStatus))
        return endCardAttempt(event, cause: .timedOut, errorCode: nil, order: order, placed: placed, started: started)
    }
}
