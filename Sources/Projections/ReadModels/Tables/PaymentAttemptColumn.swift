/// The columns of `projections.payment_attempt` (DOMAIN.md §7.8), in table order.
public enum PaymentAttemptColumn: String, ReadModelColumn {
    case settlementNo = "settlement_no"
    case purpose
    case payerUserId = "payer_user_id"
    case tradeRegNo = "trade_reg_no"
    case orderNo = "order_no"
    case itemCount = "item_count"
    case amountYen = "amount_yen"
    case productLabel = "product_label"
    case state
    case startedAt = "started_at"
    case deadlineAt = "deadline_at"
    case capturedAmountYen = "captured_amount_yen"
    case settlementDate = "settlement_date"
    case late
    case errorCode = "error_code"
    case position

    public static let table = ReadModelTable<Self>(
        "payment_attempt", key: [.settlementNo],
        types: [
            .integer: [.itemCount], .bigint: [.amountYen, .capturedAmountYen, .position],
            .timestamptz: [.startedAt, .deadlineAt], .date: [.settlementDate], .boolean: [.late],
        ])
}
