import Foundation

extension AbandonCardPayment {
    /// 決済をやめる on a card coupon order (R20, R62, O12). Checks, in this order: the attempt
    /// exists (`unknownSettlement`), is for a loaded coupon order (`wrongState`, `unknownOrder`),
    /// `user` is its payer (`forbidden`), it is Open (`wrongState`). Appends
    /// `PaymentAttemptAbandoned` + `CouponOrderPaymentFailed{abandoned}` +
    /// `CouponPurchaseClosed{paymentFailed}`; the buyer places a new order to try again.
    public func decideCouponOrder(
        _ payment: PaymentState, order: CouponOrderState, user: UserId, now: Date
    ) throws(Rejection) -> CouponOrderDecision {
        let (started, placed) = try payment.requireCouponOrder(order)
        guard started.payerUserId == user else {
            throw Rejection(
                .forbidden, "only the payer (\(started.payerUserId)) can abandon card attempt \(settlementNo)",
                details: ["settlementNo": .string(settlementNo.stringValue)])
        }
        guard payment.isOpen else { throw payment.wrongState("abandoned") }
        let event = PaymentEvent.abandoned(
            PaymentAttemptAbandoned(settlementNo: settlementNo, byUserId: user, abandonedAt: now))
        return endCardAttempt(event, cause: .abandoned, errorCode: nil, order: order, placed: placed, started: started)
    }
}
