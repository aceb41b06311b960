import Commands
import EventStore
import Foundation

/// `projections.unresolved_money` (the suspense account, issue #13): one row per item of outside
/// money that fit nowhere, open until staff resolve it.
public struct UnresolvedMoneyProjection: Projection {
    public init() {}

    public let name = "unresolved_money"
    public let tables = [UnresolvedMoneyColumn.tableName]
    public let eventTypes = [UnresolvedMoneyRecorded.eventType, UnresolvedMoneyResolved.eventType]

    typealias Row = TableRow<UnresolvedMoneyColumn>
    static let table = JSONRowTable<UnresolvedMoneyColumn>()

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var rows: [String: Row] = [:]
        for row in try Self.table.load(
            schema, where: .itemId, in: Array(Set(events.map { $0.stream.id })), on: connection)
        {
            if let key = row[.itemId]?.text { rows[key] = row }
        }
        for event in events {
            guard
                let decoded = try UnresolvedMoneyEvent.decode(
                    eventType: event.eventType, data: Data(event.data.utf8)),
                var row = Self.fold(rows[event.stream.id], decoded)
            else { continue }
            row[.position] = .int(event.globalPosition)
            rows[event.stream.id] = row
        }
        try Self.table.upsert(Array(rows.values), schema: schema, on: connection)
    }

    /// The row after `event`.
    static func fold(_ current: Row?, _ event: UnresolvedMoneyEvent) -> Row? {
        switch event {
        case .recorded(let e):
            return [
                .itemId: .string(e.itemId.uuidString.lowercased()), .kind: .string(e.kind.rawValue),
                .reason: .string(e.reason.rawValue), .amountYen: .int(e.amountYen.value),
                .tradeRegNo: json(e.tradeRegNo?.stringValue), .settlementNo: json(e.settlementNo?.stringValue),
                .orderNo: json(e.orderNo?.stringValue), .accountNo: json(e.account?.description),
                .receivedAt: .string(RFC3339.format(e.receivedAt)),
                .state: .string(UnresolvedMoneyState.Status.open.rawValue),
                .statusLabel: .string(UnresolvedMoneyState.label(nil)), .receivedOn: .string(e.receivedOn.stringValue),
                .depositId: json(e.depositId?.stringValue),
                .gatewayTransactionId: json(e.gatewayTransactionId?.stringValue),
                .explanation: .string(e.explanation),
            ]
        case .resolved(let e):
            guard var row = current else { return nil }
            row[.state] = .string(UnresolvedMoneyState.Status.resolved.rawValue)
            row[.resolution] = .string(e.resolution.rawValue)
            row[.resolvedBy] = .string(e.staffId.stringValue)
            row[.resolvedAt] = .string(RFC3339.format(e.resolvedAt))
            row[.statusLabel] = .string(UnresolvedMoneyState.label(e.resolution))
            row[.refundId] = json(e.refundId?.uuidString.lowercased())
            row[.resolutionReason] = json(e.reason)
            if let orderNo = e.orderNo { row[.orderNo] = .string(orderNo.stringValue) }
            return row
        case .refundDue, .refundRecorded:
            return nil
        }
    }
}
