import Commands
import EventStore
import Foundation

/// `projections.money_received` (issue #13): one row per yen that came in from outside, whatever
/// became of it: every card capture (a success, a duplicate capture refunded, a capture held in
/// the suspense account) and every bank deposit, dated by the day it counts for (a deposit's
/// credit date, a success's settlement date, otherwise the JST date it was reported). The
/// `daily_totals` view sums it by day and chamber.
public struct MoneyReceivedProjection: Projection {
    public init() {}

    public let name = "money_received"
    public let tables = [MoneyReceivedColumn.tableName]
    public let eventTypes = [
        PaymentAttemptSucceeded.eventType, RefundBecameDue.eventType, BankDepositRecorded.eventType,
        UnresolvedMoneyRecorded.eventType,
    ]

    typealias Row = TableRow<MoneyReceivedColumn>
    static let table = JSONRowTable<MoneyReceivedColumn>()

    /// The sources of a row.
    enum Source: String { case captured, duplicateCapture, unresolvedCapture, deposit }

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var rows: [String: Row] = [:]
        var suspended: [String] = []
        for event in events {
            let data = Data(event.data.utf8)
            let position = JSONValue.int(event.globalPosition)
            switch (event.stream.streamCategory, event.eventType) {
            case (.payment, PaymentAttemptSucceeded.eventType):
                let e = try JSONCoding.decoder.decode(PaymentAttemptSucceeded.self, from: data)
                let key = "capture \(e.settlementNo) \(e.gatewayTransactionId)"
                rows[key] = Self.capture(
                    key, .captured, e.settlementDate, e.capturedAmountYen, e.settlementNo, position)
            case (.payment, RefundBecameDue.eventType):
                let e = try JSONCoding.decoder.decode(RefundBecameDue.self, from: data)
                guard e.reason == .duplicateCapture, let settlementNo = e.settlementNo else { continue }
                let key = "capture \(settlementNo) \(e.gatewayTransactionId?.stringValue ?? e.refundId.uuidString)"
                rows[key] = Self.capture(
                    key, .duplicateCapture, JSTDate(instant: event.occurredAt), e.basisYen, settlementNo, position)
            case (.deposit, BankDepositRecorded.eventType):
                let deposit = try JSONCoding.decoder.decode(BankDepositRecorded.self, from: data).deposit
                let key = "deposit \(deposit.depositId)"
                rows[key] = [
                    .itemKey: .string(key), .kind: .string(UnresolvedMoneyKind.bankDeposit.rawValue),
                    .source: .string(Source.deposit.rawValue), .receivedOn: .string(deposit.depositedOn.stringValue),
                    .amountYen: .int(deposit.amountYen.value), .depositId: .string(deposit.depositId.stringValue),
                    .bankCode: .string(deposit.bankCode.stringValue),
                    .branchCode: .string(deposit.branchCode.stringValue),
                    .accountNumber: .string(deposit.accountNumber.stringValue), .unresolved: .bool(false),
                    .position: position,
                ]
            case (.unresolved, UnresolvedMoneyRecorded.eventType):
                let e = try JSONCoding.decoder.decode(UnresolvedMoneyRecorded.self, from: data)
                if e.kind == .bankDeposit, let depositId = e.depositId {
                    suspended.append("deposit \(depositId)")
                } else if let settlementNo = e.settlementNo, let txn = e.gatewayTransactionId {
                    let key = "capture \(settlementNo) \(txn)"
                    rows[key] = Self.capture(key, .unresolvedCapture, e.receivedOn, e.amountYen, settlementNo, position)
                }
            default: continue
            }
        }
        // A deposit held in the suspense account: its row (written in this batch or before) says so.
        let missing = suspended.filter { rows[$0] == nil }
        for row in try Self.table.load(schema, where: .itemKey, in: missing, on: connection) {
            if let key = row[.itemKey]?.text { rows[key] = row }
        }
        for key in suspended { rows[key]?[.unresolved] = .bool(true) }
        try Self.table.upsert(Array(rows.values), schema: schema, on: connection)
    }

    static func capture(
        _ key: String, _ source: Source, _ day: JSTDate, _ amount: Yen, _ settlementNo: SettlementNo,
        _ position: JSONValue
    ) -> Row {
        [
            .itemKey: .string(key), .kind: .string(UnresolvedMoneyKind.cardCapture.rawValue),
            .source: .string(source.rawValue), .receivedOn: .string(day.stringValue), .amountYen: .int(amount.value),
            .settlementNo: .string(settlementNo.stringValue), .tradeRegNo: .string(settlementNo.tradeRegNo.stringValue),
            .position: position,
        ]
    }
}
