/// The columns of `projections.coupon_history` (DOMAIN.md §7.2), in table order.
public enum CouponHistoryColumn: String, ReadModelColumn {
    case tradeRegNo = "trade_reg_no", entryId = "entry_id", occurredAt = "occurred_at", operation, confirmed
    case content, purchaseAmountYen = "purchase_amount_yen", depositAmountYen = "deposit_amount_yen"
    case settledAmountYen = "settled_amount_yen", purchased, used, balanceAfter = "balance_after", state, position

    public static let table = ReadModelTable<Self>("coupon_history", key: [.tradeRegNo, .entryId], types: [
        .timestamptz: [.occurredAt], .boolean: [.confirmed],
        .bigint: [.purchaseAmountYen, .depositAmountYen, .settledAmountYen, .position],
        .integer: [.purchased, .used, .balanceAfter]])
}
