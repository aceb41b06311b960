/// The columns of `projections.notifier_order` (the outbox's recipients), in table order.
public enum NotifierOrderColumn: String, ReadModelColumn {
    case orderNo = "order_no", tradeRegNo = "trade_reg_no", buyerName = "buyer_name", email, position

    public static let table = ReadModelTable<Self>("notifier_order", key: [.orderNo], types: [
        .bigint: [.position]])
}
