/// The columns of `projections.coupon_order` (DOMAIN.md §7.3), in table order.
public enum CouponOrderColumn: String, ReadModelColumn {
    case orderNo = "order_no", tradeRegNo = "trade_reg_no", buyerUserId = "buyer_user_id", buyerName = "buyer_name"
    case paymentMethod = "payment_method", state, amountYen = "amount_yen", taxableAmountYen = "taxable_amount_yen"
    case consumptionTaxYen = "consumption_tax_yen", totalCoupons = "total_coupons", lines, orderDate = "order_date"
    case placedAt = "placed_at", emailOptIn = "email_opt_in", email, settlementNo = "settlement_no"
    case bankCode = "bank_code", bankName = "bank_name", branchCode = "branch_code", branchName = "branch_name"
    case accountType = "account_type", accountNumber = "account_number", accountHolder = "account_holder"
    case validUntil = "valid_until", lastCheckedAt = "last_checked_at", receivedYen = "received_yen"
    case scheduledIssueDate = "scheduled_issue_date", confirmationDate = "confirmation_date"
    case settledAmountYen = "settled_amount_yen", position

    public static let table = ReadModelTable<Self>("coupon_order", key: [.orderNo], types: [
        .bigint: [.amountYen, .taxableAmountYen, .consumptionTaxYen, .receivedYen, .settledAmountYen, .position],
        .integer: [.totalCoupons], .jsonb: [.lines],
        .date: [.orderDate, .validUntil, .scheduledIssueDate, .confirmationDate],
        .timestamptz: [.placedAt, .lastCheckedAt], .boolean: [.emailOptIn]])
}
