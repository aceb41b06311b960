/// The columns of `projections.coupon_order` (DOMAIN.md §7.3), in table order.
public enum CouponOrderColumn: String, ReadModelColumn {
    case orderNo = "order_no"
    case tradeRegNo = "trade_reg_no"
    case buyerUserId = "buyer_user_id"
    case buyerName = "buyer_name"
    case paymentMethod = "payment_method"
    case state
    case amountYen = "amount_yen"
    case taxableAmountYen = "taxable_amount_yen"
    case consumptionTaxYen = "consumption_tax_yen"
    case totalCoupons = "total_coupons"
    case lines
    case orderDate = "order_date"
    case placedAt = "placed_at"
    case emailOptIn = "email_opt_in"
    case email
    case settlementNo = "settlement_no"
    case bankCode = "bank_code"
    case bankName = "bank_name"
    case branchCode = "branch_code"
    case branchName = "branch_name"
    case accountType = "account_type"
    case accountNumber = "account_number"
    case accountHolder = "account_holder"
    case validUntil = "valid_until"
    case lastCheckedAt = "last_checked_at"
    case receivedYen = "received_yen"
    case scheduledIssueDate = "scheduled_issue_date"
    case confirmationDate = "confirmation_date"
    case settledAmountYen = "settled_amount_yen"
    case position

    public static let table = ReadModelTable<Self>(
        "coupon_order", key: [.orderNo],
        types: [
            .bigint: [.amountYen, .taxableAmountYen, .consumptionTaxYen, .receivedYen, .settledAmountYen, .position],
            .integer: [.totalCoupons], .jsonb: [.lines],
            .date: [.orderDate, .validUntil, .scheduledIssueDate, .confirmationDate],
            .timestamptz: [.placedAt, .lastCheckedAt], .boolean: [.emailOptIn],
        ])
}
