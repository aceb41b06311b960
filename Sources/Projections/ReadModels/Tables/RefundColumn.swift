/// The columns of `projections.refund` (DOMAIN.md §7.8), in table order.
public enum RefundColumn: String, ReadModelColumn {
    case refundId = "refund_id"
    case reason
    case basisYen = "basis_yen"
    case costsDeductible = "costs_deductible"
    case tradeRegNo = "trade_reg_no"
    case refundingChamberId = "refunding_chamber_id"
    case streamId = "stream_id"
    case depositId = "deposit_id"
    case settlementNo = "settlement_no"
    case dueAt = "due_at"
    case paidYen = "paid_yen"
    case deductedCostsYen = "deducted_costs_yen"
    case paidOn = "paid_on"
    case method, position

    public static let table = ReadModelTable<Self>(
        "refund", key: [.refundId],
        types: [
            .bigint: [.basisYen, .paidYen, .deductedCostsYen, .position], .boolean: [.costsDeductible],
            .timestamptz: [.dueAt], .date: [.paidOn],
        ])
}
