import Commands
import EventStore
import Foundation

/// `projections.payment_attempt` and `projections.refund` (DOMAIN.md §7.8), under the views
/// `open_payment_attempts`, `refunds_due` and `daily_totals` (schema/0007).
public struct BackOfficeProjection: Projection {
    public init() {}

    public let name = "back_office"
    public let tables = ["payment_attempt", "refund"]
    public let eventTypes = [
        PaymentAttemptStarted.eventType, PaymentAttemptSucceeded.eventType, PaymentAttemptFailed.eventType,
        PaymentAttemptTimedOut.eventType, PaymentAttemptAbandoned.eventType, RefundBecameDue.eventType,
        RefundRecorded.eventType,
    ]

    static let attempts = JSONRowTable(
        table: "payment_attempt", key: ["settlement_no"],
        columns: [
            "settlement_no", "purpose", "payer_user_id", "trade_reg_no", "order_no", "item_count", "amount_yen",
            "product_label", "state", "started_at", "deadline_at", "captured_amount_yen", "settlement_date", "late",
            "error_code", "position",
        ])
    static let refunds = JSONRowTable(
        table: "refund", key: ["refund_id"],
        columns: [
            "refund_id", "reason", "basis_yen", "costs_deductible", "trade_reg_no", "refunding_chamber_id",
            "stream_id", "deposit_id", "settlement_no", "due_at", "paid_yen", "deducted_costs_yen", "paid_on",
            "method", "position",
        ])

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var attemptRows: [String: JSONRowTable.Row] = [:]
        var refundRows: [String: JSONRowTable.Row] = [:]
        let settlements = Set(events.filter { $0.stream.category == "payment" }.map { $0.stream.id })
        for row in try Self.attempts.load(schema, where: "settlement_no", in: Array(settlements), on: connection) {
            if let key = row["settlement_no"]?.text { attemptRows[key] = row }
        }
        var refundIds: [String] = []
        for event in events where event.eventType == RefundRecorded.eventType {
            let recorded = try JSONCoding.decoder.decode(RefundRecorded.self, from: Data(event.data.utf8))
            refundIds.append(recorded.refundId.uuidString.lowercased())
        }
        for row in try Self.refunds.load(schema, where: "refund_id", in: refundIds, on: connection) {
            if let key = row["refund_id"]?.text { refundRows[key] = row }
        }
        for event in events {
            let data = Data(event.data.utf8)
            let position = JSONValue.int(event.globalPosition)
            switch event.eventType {
            case RefundBecameDue.eventType:
                let due = try JSONCoding.decoder.decode(RefundBecameDue.self, from: data)
                let id = due.refundId.uuidString.lowercased()
                refundRows[id] = [
                    "refund_id": .string(id), "reason": .string(due.reason.rawValue),
                    "basis_yen": .int(due.basisYen.value),
                    "costs_deductible": .bool(due.costsDeductible), "trade_reg_no": .string(due.tradeRegNo.stringValue),
                    "refunding_chamber_id": .string(due.refundingChamberId.stringValue),
                    "stream_id": .string(event.stream.rawValue), "deposit_id": json(due.depositId?.stringValue),
                    "settlement_no": json(due.settlementNo?.stringValue),
                    "due_at": .string(RFC3339.format(event.occurredAt)),
                    "position": position,
                ]
            case RefundRecorded.eventType:
                let recorded = try JSONCoding.decoder.decode(RefundRecorded.self, from: data)
                let id = recorded.refundId.uuidString.lowercased()
                guard var row = refundRows[id] else { continue }
                row["paid_yen"] = .int(recorded.paidYen.value)
                row["deducted_costs_yen"] = .int(recorded.deductedCostsYen.value)
                row["paid_on"] = .string(recorded.paidOn.stringValue)
                row["method"] = .string(recorded.method.rawValue)
                row["position"] = position
                refundRows[id] = row
            default:
                guard let decoded = try PaymentEvent.decode(eventType: event.eventType, data: data),
                    var row = Self.fold(attemptRows[event.stream.id], decoded)
                else { continue }
                row["position"] = position
                attemptRows[event.stream.id] = row
            }
        }
        try Self.attempts.upsert(Array(attemptRows.values), schema: schema, on: connection)
        try Self.refunds.upsert(Array(refundRows.values), schema: schema, on: connection)
    }

    static func fold(_ current: JSONRowTable.Row?, _ event: PaymentEvent) -> JSONRowTable.Row? {
        if case .started(let e) = event {
            return [
                "settlement_no": .string(e.settlementNo.stringValue), "purpose": .string(e.purpose.rawValue),
                "payer_user_id": .string(e.payerUserId.stringValue), "trade_reg_no": .string(e.tradeRegNo.stringValue),
                "order_no": json(e.orderNo?.stringValue), "item_count": .int(Int64(e.itemCount.value)),
                "amount_yen": .int(e.amountYen.value), "product_label": .string(e.productLabel), "state": "open",
                "started_at": .string(RFC3339.format(e.startedAt)),
                "deadline_at": .string(RFC3339.format(e.deadlineAt)),
            ]
        }
        guard var row = current else { return nil }
        switch event {
        case .succeeded(let e):
            row["state"] = "succeeded"
            row["captured_amount_yen"] = .int(e.capturedAmountYen.value)
            row["settlement_date"] = .string(e.settlementDate.stringValue)
            row["late"] = .bool(e.late)
        case .failed(let e):
            row["state"] = "failed"
            row["error_code"] = .string(e.errorCode.stringValue)
        case .timedOut: row["state"] = "timedOut"
        case .abandoned: row["state"] = "abandoned"
        default: return nil
        }
        return row
    }
}
