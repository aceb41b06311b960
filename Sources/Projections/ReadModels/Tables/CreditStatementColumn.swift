/// The columns of `projections.credit_statement` (DOMAIN.md §7.6), in table order.
public enum CreditStatementColumn: String, ReadModelColumn {
    case issueNumber = "issue_number", payerUserId = "payer_user_id", tradeRegNo = "trade_reg_no", kind, content
    case receptionNo = "reception_no", orderNo = "order_no", settlementNo = "settlement_no"
    case settlementDate = "settlement_date", settlementMonth = "settlement_month", issueDate = "issue_date"
    case companyName = "company_name", certificateNumber = "certificate_number", invoiceNumber = "invoice_number"
    case amountYen = "amount_yen", taxableAmountYen = "taxable_amount_yen"
    case consumptionTaxYen = "consumption_tax_yen", position

    public static let table = ReadModelTable<Self>("credit_statement", key: [.issueNumber], types: [
        .date: [.settlementDate, .issueDate],
        .bigint: [.amountYen, .taxableAmountYen, .consumptionTaxYen, .position]])
}
