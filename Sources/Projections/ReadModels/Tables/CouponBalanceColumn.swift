/// The columns of `projections.coupon_balance` (DOMAIN.md §7.1), in table order.
public enum CouponBalanceColumn: String, ReadModelColumn {
    case tradeRegNo, companyName, membership, allowedMethods, available, pendingPurchase, openOrderNo,
        openOrderBuyerUserId, openOrderMethod, position, chamberId

    public static let table = ReadModelTable<Self>(
        "coupon_balance", key: [.tradeRegNo],
        types: [
            .textArray: [.allowedMethods], .integer: [.available, .pendingPurchase], .bigint: [.position],
        ])
}
