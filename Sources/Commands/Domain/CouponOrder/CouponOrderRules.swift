import Foundation

// The coupon order (`couponOrder-<orderNo>`, DOMAIN.md §5.3) and its interplay with the company's
// coupon account (purchase lock, CouponsIssued) and, for card orders, the payment attempt
// (`payment-<settlementNo>`, purpose couponOrder). Pure: folded states, the actor, `now`, the
// business calendar, the bank deposits of the order's account and every number the ledger
// allocates come in as arguments; events come out per stream in a `CouponOrderDecision`.

/// Fixed values of coupon orders.
public enum CouponOrderRules {
    /// 「購入依頼日から30日以内」 (R51): validUntil = orderDate + 30 calendar days, inclusive.
    public static let validityDays = 30
    /// The default quantity limit per order line (Q36).
    public static let maximumPacksPerLine = 999
    /// 内容 on a coupon-purchase statement (R28, §7.6).
    public static let statementContent = "クーポン購入"

    /// The gateway's product name: 「貿易関係証明発給システムクーポン2枚分」 (seed L644).
    public static func cardProductLabel(coupons: Count) -> String {
        "貿易関係証明発給システムクーポン\(coupons.value)枚分"
    }

    /// 購入内容 of a statement: one 「<label>(<unit price>円) × <qty>」 per line (§7.6,
    /// Appendix A #6), lines separated by a newline.
    public static func purchaseDescription(_ lines: [CouponLine]) -> String {
        lines.map { "\($0.label)(\($0.unitPriceYen.printed)) × \($0.quantity.value)" }.joined(separator: "\n")
    }
}
