/// The columns of `projections.payment_attempt` (DOMAIN.md §7.8), in table order.
public enum PaymentAttemptColumn: String, ReadModelColumn {
    case settlementNo = "settlement_no", purpose, payerUserId = "payer_user_id", tradeRegNo = "trade_reg_no"
    case orderNo = "order_no", itemCount = "item_count", amountYen = "amount_yen", productLabel = "product_label"
    case state, startedAt = "started_at", deadlineAt = "deadline_at", capturedAmountYen = "captured_amount_yen"
    case settlementDate = "settlement_date", late, errorCode = "error_code", position

    public static let table = ReadModelTable<Self>("payment_attempt", key: [.settlementNo], types: [
        .integer: [.itemCount], .bigint: [.amountYen, .capturedAmountYen, .position],
        .timestamptz: [.startedAt, .deadlineAt], .date: [.settlementDate], .boolean: [.late]])
}
