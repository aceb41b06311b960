/// The columns of `projections.credit_statement` (DOMAIN.md §7.6), in table order.
public enum CreditStatementColumn: String, ReadModelColumn {
    case issueNumber, payerUserId, tradeRegNo, kind, content, receptionNo, orderNo, settlementNo, settlementDate,
        settlementMonth, issueDate, companyName, certificateNumber, invoiceNumber, amountYen, taxableAmountYen,
        consumptionTaxYen, position

    public static let table = ReadModelTable<Self>(
        "credit_statement", key: [.issueNumber],
        types: [
            .date: [.settlementDate, .issueDate],
            .bigint: [.amountYen, .taxableAmountYen, .consumptionTaxYen, .position],
        ])
}
