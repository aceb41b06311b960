import Commands
import EventStore
import Foundation

/// `projections.credit_statement` (DOMAIN.md §7.6): one row per `StatementIssued`, as fixed at
/// settlement (R29). Row-level security limits reporting users to their own rows (R27).
public struct CreditStatementProjection: Projection {
    public init() {}

    public let name = "credit_statement"
    public let tables = [CreditStatementColumn.tableName]
    public let eventTypes = [StatementIssued.eventType]

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var rows: [TableRow<CreditStatementColumn>] = []
        for event in events {
            let statement = try JSONCoding.decoder.decode(StatementIssued.self, from: Data(event.data.utf8))
            let date = statement.settlementDate.stringValue
            let row: TableRow<CreditStatementColumn> = [
                .issueNumber: .string(statement.issueNumber.stringValue),
                .payerUserId: .string(statement.payerUserId.stringValue),
                .tradeRegNo: .string(statement.tradeRegNoAsPrinted), .kind: .string(statement.kind.rawValue),
                .content: .string(statement.content),
                .receptionNo: statement.receptionNo.map { .string($0.stringValue) } ?? .null,
                .orderNo: statement.orderNo.map { .string($0.stringValue) } ?? .null,
                .settlementNo: .string(event.stream.id), .settlementDate: .string(date),
                .settlementMonth: .string(String(date.prefix(7))), .issueDate: .string(statement.issueDate.stringValue),
                .companyName: .string(statement.companyName),
                .certificateNumber: statement.certificateNumber.map(JSONValue.string) ?? .null,
                .invoiceNumber: statement.invoiceNumber.map(JSONValue.string) ?? .null,
                .amountYen: .int(statement.amountYen.value), .taxableAmountYen: .int(statement.taxableAmountYen.value),
                .consumptionTaxYen: .int(statement.consumptionTaxYen.value), .position: .int(event.globalPosition),
            ]
            rows.append(row)
        }
        // One set-based statement for the whole batch.
        try Self.table.insertNew(rows, schema: schema, on: connection)
    }

    static let table = JSONRowTable<CreditStatementColumn>()
}
