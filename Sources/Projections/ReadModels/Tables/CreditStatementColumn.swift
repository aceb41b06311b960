/// The columns of `projections.credit_statement` (DOMAIN.md §7.6), in table order.
public enum CreditStatementColumn: String, ReadModelColumn {
    case issueNumber = "issue_number"
    case payerUserId = "payer_user_id"
    case tradeRegNo = "trade_reg_no"
    case kind, content
    case receptionNo = "reception_no"
    case orderNo = "order_no"
    case settlementNo = "settlement_no"
    case settlementDate = "settlement_date"
    case settlementMonth = "settlement_month"
    case issueDate = "issue_date"
    case companyName = "company_name"
    case certificateNumber = "certificate_number"
    case invoiceNumber = "invoice_number"
    case amountYen = "amount_yen"
    case taxableAmountYen = "taxable_amount_yen"
    case consumptionTaxYen = "consumption_tax_yen"
    case position

    public static let table = ReadModelTable<Self>(
        "credit_statement", key: [.issueNumber],
        types: [
            .date: [.settlementDate, .issueDate],
            .bigint: [.amountYen, .taxableAmountYen, .consumptionTaxYen, .position],
        ])
}
