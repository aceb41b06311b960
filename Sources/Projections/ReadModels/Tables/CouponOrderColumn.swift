/// The columns of `projections.coupon_order` (DOMAIN.md §7.3), in table order.
public enum CouponOrderColumn: String, ReadModelColumn {
    case orderNo, tradeRegNo, buyerUserId, buyerName, paymentMethod, state, amountYen, taxableAmountYen,
        consumptionTaxYen, totalCoupons, lines, orderDate, placedAt, emailOptIn, email, settlementNo, bankCode,
        bankName, branchCode, branchName, accountType, accountNumber, accountHolder, validUntil, lastCheckedAt,
        receivedYen, scheduledIssueDate, confirmationDate, settledAmountYen, position

    public static let table = ReadModelTable<Self>(
        "coupon_order", key: [.orderNo],
        types: [
            .bigint: [.amountYen, .taxableAmountYen, .consumptionTaxYen, .receivedYen, .settledAmountYen, .position],
            .integer: [.totalCoupons], .jsonb: [.lines],
            .date: [.orderDate, .validUntil, .scheduledIssueDate, .confirmationDate],
            .timestamptz: [.placedAt, .lastCheckedAt], .boolean: [.emailOptIn],
        ])
}
