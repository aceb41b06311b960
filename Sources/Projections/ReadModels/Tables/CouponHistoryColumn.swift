/// The columns of `projections.coupon_history` (DOMAIN.md §7.2), in table order.
public enum CouponHistoryColumn: String, ReadModelColumn {
    case tradeRegNo, entryId, occurredAt, operation, confirmed, content, purchaseAmountYen, depositAmountYen,
        settledAmountYen, purchased, used, balanceAfter, state, position

    public static let table = ReadModelTable<Self>(
        "coupon_history", key: [.tradeRegNo, .entryId],
        types: [
            .timestamptz: [.occurredAt], .boolean: [.confirmed],
            .bigint: [.purchaseAmountYen, .depositAmountYen, .settledAmountYen, .position],
            .integer: [.purchased, .used, .balanceAfter],
        ])
}
