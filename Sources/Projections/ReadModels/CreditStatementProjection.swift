import Commands
import EventStore
import Foundation

/// `projections.credit_statement` (DOMAIN.md §7.6): one row per `StatementIssued`, as fixed at
/// settlement (R29). Row-level security limits reporting users to their own rows (R27).
public struct CreditStatementProjection: Projection {
    public init() {}

    public let name = "credit_statement"
    public let tables = ["credit_statement"]
    public let eventTypes = [StatementIssued.eventType]

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var rows: [String] = []
        for event in events {
            let statement = try JSONCoding.decoder.decode(StatementIssued.self, from: Data(event.data.utf8))
            let date = statement.settlementDate.stringValue
            let row: JSONValue = [
                "issue_number": .string(statement.issueNumber.stringValue),
                "payer_user_id": .string(statement.payerUserId.stringValue),
                "trade_reg_no": .string(statement.tradeRegNoAsPrinted), "kind": .string(statement.kind.rawValue),
                "content": .string(statement.content),
                "reception_no": statement.receptionNo.map { .string($0.stringValue) } ?? .null,
                "order_no": statement.orderNo.map { .string($0.stringValue) } ?? .null,
                "settlement_no": .string(event.stream.id), "settlement_date": .string(date),
                "settlement_month": .string(String(date.prefix(7))),
                "issue_date": .string(statement.issueDate.stringValue),
                "company_name": .string(statement.companyName),
                "certificate_number": statement.certificateNumber.map(JSONValue.string) ?? .null,
                "invoice_number": statement.invoiceNumber.map(JSONValue.string) ?? .null,
                "amount_yen": .int(statement.amountYen.value),
                "taxable_amount_yen": .int(statement.taxableAmountYen.value),
                "consumption_tax_yen": .int(statement.consumptionTaxYen.value), "position": .int(event.globalPosition),
            ]
            rows.append(row.jsonText)
        }
        // One set-based statement for the whole batch.
        try connection.query(CreditStatementSQL.insert(schema), [PGJSON("[" + rows.joined(separator: ",") + "]")])
    }
}

enum CreditStatementSQL {
    static func insert(_ schema: String) -> String {
        let table = "\(quoteIdentifier(schema)).credit_statement"
        return """
            INSERT INTO \(table) SELECT * FROM jsonb_populate_recordset(NULL::\(table), $1::jsonb)
            ON CONFLICT (issue_number) DO NOTHING
            """
    }
}
