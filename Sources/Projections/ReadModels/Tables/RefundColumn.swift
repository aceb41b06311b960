/// The columns of `projections.refund` (DOMAIN.md §7.8), in table order.
public enum RefundColumn: String, ReadModelColumn {
    case refundId, reason, basisYen, costsDeductible, tradeRegNo, refundingChamberId, streamId, depositId, settlementNo,
        dueAt, paidYen, deductedCostsYen, paidOn, method, position

    public static let table = ReadModelTable<Self>(
        "refund", key: [.refundId],
        types: [
            .bigint: [.basisYen, .paidYen, .deductedCostsYen, .position], .boolean: [.costsDeductible],
            .timestamptz: [.dueAt], .date: [.paidOn],
        ])
}
