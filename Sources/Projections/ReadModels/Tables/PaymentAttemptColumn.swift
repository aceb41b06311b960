/// The columns of `projections.payment_attempt` (DOMAIN.md §7.8), in table order.
public enum PaymentAttemptColumn: String, ReadModelColumn {
    case settlementNo, purpose, payerUserId, tradeRegNo, orderNo, itemCount, amountYen, productLabel, state, startedAt,
        deadlineAt, capturedAmountYen, settlementDate, late, errorCode, position

    public static let table = ReadModelTable<Self>(
        "payment_attempt", key: [.settlementNo],
        types: [
            .integer: [.itemCount], .bigint: [.amountYen, .capturedAmountYen, .position],
            .timestamptz: [.startedAt, .deadlineAt], .date: [.settlementDate], .boolean: [.late],
        ])
}
