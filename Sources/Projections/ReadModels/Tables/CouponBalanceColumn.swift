/// The columns of `projections.coupon_balance` (DOMAIN.md §7.1), in table order.
public enum CouponBalanceColumn: String, ReadModelColumn {
    case tradeRegNo = "trade_reg_no"
    case companyName = "company_name"
    case membership
    case allowedMethods = "allowed_methods"
    case available
    case pendingPurchase = "pending_purchase"
    case openOrderNo = "open_order_no"
    case openOrderBuyerUserId = "open_order_buyer_user_id"
    case openOrderMethod = "open_order_method"
    case position

    public static let table = ReadModelTable<Self>(
        "coupon_balance", key: [.tradeRegNo],
        types: [
            .textArray: [.allowedMethods], .integer: [.available, .pendingPurchase], .bigint: [.position],
        ])
}
