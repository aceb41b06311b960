/// The columns of `projections.coupon_history` (DOMAIN.md §7.2), in table order.
public enum CouponHistoryColumn: String, ReadModelColumn {
    case tradeRegNo = "trade_reg_no"
    case entryId = "entry_id"
    case occurredAt = "occurred_at"
    case operation, confirmed
    case content
    case purchaseAmountYen = "purchase_amount_yen"
    case depositAmountYen = "deposit_amount_yen"
    case settledAmountYen = "settled_amount_yen"
    case purchased, used
    case balanceAfter = "balance_after"
    case state, position

    public static let table = ReadModelTable<Self>(
        "coupon_history", key: [.tradeRegNo, .entryId],
        types: [
            .timestamptz: [.occurredAt], .boolean: [.confirmed],
            .bigint: [.purchaseAmountYen, .depositAmountYen, .settledAmountYen, .position],
            .integer: [.purchased, .used, .balanceAfter],
        ])
}
