/// The columns of `projections.notifier_order` (the outbox's recipients), in table order.
public enum NotifierOrderColumn: String, ReadModelColumn {
    case orderNo = "order_no"
    case tradeRegNo = "trade_reg_no"
    case buyerName = "buyer_name"
    case email, position

    public static let table = ReadModelTable<Self>(
        "notifier_order", key: [.orderNo],
        types: [
            .bigint: [.position]
        ])
}
