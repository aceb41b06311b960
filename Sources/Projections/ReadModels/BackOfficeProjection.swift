import Commands
import EventStore
import Foundation

/// `projections.payment_attempt` and `projections.refund` (DOMAIN.md §7.8), under the views
/// `open_payment_attempts`, `refunds_due` and `daily_totals` (schema/0007).
public struct BackOfficeProjection: Projection {
    public init() {}

    public let name = "back_office"
    public let tables = [PaymentAttemptColumn.tableName, RefundColumn.tableName]
    public let eventTypes = [
        PaymentAttemptStarted.eventType, PaymentAttemptSucceeded.eventType, PaymentAttemptFailed.eventType,
        PaymentAttemptTimedOut.eventType, PaymentAttemptAbandoned.eventType, RefundBecameDue.eventType,
        RefundRecorded.eventType,
    ]

    static let attempts = JSONRowTable<PaymentAttemptColumn>()
    static let refunds = JSONRowTable<RefundColumn>()

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var attemptRows: [String: TableRow<PaymentAttemptColumn>] = [:]
        var refundRows: [String: TableRow<RefundColumn>] = [:]
        let settlements = Set(events.filter { $0.stream.streamCategory == .payment }.map { $0.stream.id })
        for row in try Self.attempts.load(schema, where: .settlementNo, in: Array(settlements), on: connection) {
            if let key = row[.settlementNo]?.text { attemptRows[key] = row }
        }
        var refundIds: [String] = []
        for event in events where event.eventType == RefundRecorded.eventType {
            let recorded = try JSONCoding.decoder.decode(RefundRecorded.self, from: Data(event.data.utf8))
            refundIds.append(recorded.refundId.uuidString.lowercased())
        }
        for row in try Self.refunds.load(schema, where: .refundId, in: refundIds, on: connection) {
            if let key = row[.refundId]?.text { refundRows[key] = row }
        }
        for event in events {
            let data = Data(event.data.utf8)
            let position = JSONValue.int(event.globalPosition)
            switch event.eventType {
            case RefundBecameDue.eventType:
                let due = try JSONCoding.decoder.decode(RefundBecameDue.self, from: data)
                let id = due.refundId.uuidString.lowercased()
                refundRows[id] = [
                    .refundId: .string(id), .reason: .string(due.reason.rawValue), .basisYen: .int(due.basisYen.value),
                    .costsDeductible: .bool(due.costsDeductible), .tradeRegNo: json(due.tradeRegNo?.stringValue),
                    .refundingChamberId: .string(due.refundingChamberId.stringValue),
                    .streamId: .string(event.stream.rawValue), .depositId: json(due.depositId?.stringValue),
                    .settlementNo: json(due.settlementNo?.stringValue),
                    .dueAt: .string(RFC3339.format(event.occurredAt)),
                    .position: position,
                ]
            case RefundRecorded.eventType:
                let recorded = try JSONCoding.decoder.decode(RefundRecorded.self, from: data)
                let id = recorded.refundId.uuidString.lowercased()
                guard var row = refundRows[id] else { continue }
                row[.paidYen] = .int(recorded.paidYen.value)
                row[.deductedCostsYen] = .int(recorded.deductedCostsYen.value)
                row[.paidOn] = .string(recorded.paidOn.stringValue)
                row[.method] = .string(recorded.method.rawValue)
                row[.position] = position
                refundRows[id] = row
            default:
                guard let decoded = try PaymentEvent.decode(eventType: event.eventType, data: data),
                    var row = Self.fold(attemptRows[event.stream.id], decoded)
                else { continue }
                row[.position] = position
                attemptRows[event.stream.id] = row
            }
        }
        try Self.attempts.upsert(Array(attemptRows.values), schema: schema, on: connection)
        try Self.refunds.upsert(Array(refundRows.values), schema: schema, on: connection)
    }

    /// The attempt's row after `event`; its state is the domain's (`PaymentState.evolve`).
    static func fold(_ current: TableRow<PaymentAttemptColumn>?, _ event: PaymentEvent) -> TableRow<
        PaymentAttemptColumn
    >? {
        var state = PaymentState()
        state.status = current?[.state]?.text.flatMap(PaymentState.Status.init(rawValue:))
        state = PaymentState.evolve(state, event)
        let status = state.status.map { JSONValue.string($0.rawValue) } ?? .null
        if case .started(let e) = event {
            return [
                .settlementNo: .string(e.settlementNo.stringValue), .purpose: .string(e.purpose.rawValue),
                .payerUserId: .string(e.payerUserId.stringValue), .tradeRegNo: .string(e.tradeRegNo.stringValue),
                .orderNo: json(e.orderNo?.stringValue), .itemCount: .int(Int64(e.itemCount.value)),
                .amountYen: .int(e.amountYen.value), .productLabel: .string(e.productLabel), .state: status,
                .startedAt: .string(RFC3339.format(e.startedAt)), .deadlineAt: .string(RFC3339.format(e.deadlineAt)),
            ]
        }
        guard var row = current else { return nil }
        switch event {
        case .succeeded(let e):
            row[.capturedAmountYen] = .int(e.capturedAmountYen.value)
            row[.settlementDate] = .string(e.settlementDate.stringValue)
            row[.late] = .bool(e.late)
        case .failed(let e):
            row[.errorCode] = .string(e.errorCode.stringValue)
        case .timedOut, .abandoned: break
        default: return nil
        }
        row[.state] = status
        return row
    }
}
