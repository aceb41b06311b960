/// The columns of `projections.refund` (DOMAIN.md §7.8), in table order.
public enum RefundColumn: String, ReadModelColumn {
    case refundId = "refund_id", reason, basisYen = "basis_yen", costsDeductible = "costs_deductible"
    case tradeRegNo = "trade_reg_no", refundingChamberId = "refunding_chamber_id", streamId = "stream_id"
    case depositId = "deposit_id", settlementNo = "settlement_no", dueAt = "due_at", paidYen = "paid_yen"
    case deductedCostsYen = "deducted_costs_yen", paidOn = "paid_on", method, position

    public static let table = ReadModelTable<Self>("refund", key: [.refundId], types: [
        .bigint: [.basisYen, .paidYen, .deductedCostsYen, .position], .boolean: [.costsDeductible],
        .timestamptz: [.dueAt], .date: [.paidOn]])
}
