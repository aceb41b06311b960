/// The columns of `projections.notifier_order` (the outbox's recipients), in table order.
public enum NotifierOrderColumn: String, ReadModelColumn {
    case orderNo, tradeRegNo, buyerName, email, position

    public static let table = ReadModelTable<Self>(
        "notifier_order", key: [.orderNo],
        types: [
            .bigint: [.position]
        ])
}
