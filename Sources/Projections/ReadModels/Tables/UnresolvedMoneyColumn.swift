/// The columns of `projections.unresolved_money` (the suspense account, issue #13), in table order.
public enum UnresolvedMoneyColumn: String, ReadModelColumn {
    case itemId, kind, reason, amountYen, tradeRegNo, settlementNo, orderNo, accountNo, receivedAt, state, resolution,
        resolvedBy, resolvedAt, statusLabel, receivedOn, depositId, gatewayTransactionId, refundId, resolutionReason,
        explanation, position

    public static let table = ReadModelTable<Self>(
        "unresolved_money", key: [.itemId],
        types: [
            .bigint: [.amountYen, .position], .timestamptz: [.receivedAt, .resolvedAt], .date: [.receivedOn],
        ])
}
