import Foundation

/// The order-expiry part of SweepDeadlines (COMMANDS.md; O10, R51, Q12).
public enum CouponOrderExpirySweep {
    /// `CouponOrderExpired` + `CouponPurchaseClosed{expired}` when `order.isExpiryDue` (JST today
    /// after `validUntil`, a nightly run covered `validUntil`, and no deposit credited by then
    /// waits unseen in `deposits`); otherwise an empty decision. Deposits credited after
    /// `validUntil` are left to the next nightly run (refunded in full, O14).
    public static func decide(
        _ order: CouponOrderState, _ company: CompanyState, deposits: [BankDeposit], now: Date
    ) -> CouponOrderDecision {
        var decision = CouponOrderDecision()
        guard let placed = order.placed, let validUntil = order.validUntil,
            order.isExpiryDue(today: JSTDate(instant: now), deposits: deposits)
        else { return decision }
        decision.order = [.expired(CouponOrderExpired(orderNo: placed.orderNo, validUntil: validUntil, expiredAt: now))]
        decision.company = [.purchaseClosed(CouponPurchaseClosed(orderNo: placed.orderNo, outcome: .expired))]
        decision.result = orderResult(order, decision)
        return decision
    }
}
