import Commands
import EventStore
import Foundation

/// `projections.coupon_history` (DOMAIN.md §7.2, クーポン履歴): one row per purchase (keyed by
/// order number, confirmed when its coupons are issued, voided rows kept with a suffix), per
/// chamber adjustment, per coupon used and per coupon returned, each with the balance after it.
public struct CouponHistoryProjection: Projection {
    public init() {}

    public let name = "coupon_history"
    public let tables = ["coupon_history"]
    public let eventTypes = [
        CouponOrderPlaced.eventType, BankDepositReceived.eventType, CouponOrderFulfilled.eventType,
        CouponsIssued.eventType, CouponOrderCancelled.eventType, CouponOrderExpired.eventType,
        CouponOrderClosedUnderpaid.eventType, CouponOrderPaymentFailed.eventType,
        CouponsAdjustedByChamber.eventType, CouponUsed.eventType, CouponReturned.eventType,
    ]

    static let table = JSONRowTable(
        table: "coupon_history", key: ["trade_reg_no", "entry_id"],
        columns: [
            "trade_reg_no", "entry_id", "occurred_at", "operation", "confirmed", "content", "purchase_amount_yen",
            "deposit_amount_yen", "settled_amount_yen", "purchased", "used", "balance_after", "state", "position",
        ])

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var orderNos = Set<String>()
        var decoded: [(RecordedEvent, CouponOrderEvent?, CompanyEvent?)] = []
        for event in events {
            let data = Data(event.data.utf8)
            if event.stream.category == "couponOrder" {
                orderNos.insert(event.stream.id)
                decoded.append((event, try CouponOrderEvent.decode(eventType: event.eventType, data: data), nil))
            } else if let company = try CompanyEvent.decode(eventType: event.eventType, data: data) {
                if case .couponsIssued(let issued) = company { orderNos.insert(issued.orderNo.stringValue) }
                decoded.append((event, nil, company))
            }
        }
        var purchases: [String: JSONRowTable.Row] = [:]
        for row in try Self.table.load(schema, where: "entry_id", in: Array(orderNos), on: connection) {
            if let key = row["entry_id"]?.text { purchases[key] = row }
        }
        var others: [JSONRowTable.Row] = []
        var dirty = Set<String>()
        for (event, order, company) in decoded {
            let position = JSONValue.int(event.globalPosition)
            if let order {
                let key = event.stream.id
                if var row = Self.fold(purchases[key], order) {
                    row["position"] = position
                    purchases[key] = row
                    dirty.insert(key)
                }
            } else if let company {
                if case .couponsIssued(let issued) = company, var row = purchases[issued.orderNo.stringValue] {
                    row["confirmed"] = true
                    row["balance_after"] = .int(Int64(issued.balanceAfter.value))
                    row["position"] = position
                    purchases[issued.orderNo.stringValue] = row
                    dirty.insert(issued.orderNo.stringValue)
                } else if var row = Self.entry(company, event) {
                    row["position"] = position
                    others.append(row)
                }
            }
        }
        try Self.table.upsert(dirty.sorted().compactMap { purchases[$0] } + others, schema: schema, on: connection)
    }

    /// Purchase rows follow their order.
    static func fold(_ current: JSONRowTable.Row?, _ event: CouponOrderEvent) -> JSONRowTable.Row? {
        if case .placed(let e) = event {
            return [
                "trade_reg_no": .string(e.tradeRegNo.stringValue), "entry_id": .string(e.orderNo.stringValue),
                "occurred_at": .string(RFC3339.format(e.placedAt)),
                "operation": .string(e.paymentMethod == .bankTransfer ? "購入(振込)" : "購入(クレジット)"),
                "confirmed": false, "content": .string("クーポンを購入 ユーザ: \(e.buyerName)"),
                "purchase_amount_yen": .int(e.amountYen.value), "purchased": .int(Int64(e.totalCoupons.value)),
                "state": .string(e.paymentMethod == .bankTransfer ? "awaitingTransfer" : "awaitingCardAuth"),
            ]
        }
        guard var row = current else { return nil }
        func void(_ suffix: String, _ state: String) {
            row["content"] = .string((row["content"]?.text ?? "") + suffix)
            row["state"] = .string(state)
        }
        switch event {
        case .depositReceived(let e) where e.acceptedForOrder:
            row["deposit_amount_yen"] = .int((row["deposit_amount_yen"]?.integer ?? 0) + e.amountYen.value)
            row["state"] = "depositConfirmed"
        case .fulfilled(let e):
            row["settled_amount_yen"] = .int(e.settledAmountYen.value)
            if row["operation"]?.text == "購入(クレジット)" { row["deposit_amount_yen"] = .int(e.settledAmountYen.value) }
            row["state"] = "fulfilled"
        case .cancelled: void("(キャンセル)", "cancelled")
        case .expired: void("(期限切れ)", "expired")
        case .closedUnderpaid: void("(入金不足)", "closedUnderpaid")
        case .paymentFailed: void("(決済失敗)", "paymentFailed")
        default: return nil
        }
        return row
    }

    /// Rows of adjustments, uses and returns.
    static func entry(_ event: CompanyEvent, _ recorded: RecordedEvent) -> JSONRowTable.Row? {
        var row: JSONRowTable.Row = [
            "trade_reg_no": .string(recorded.stream.id), "entry_id": .string(recorded.eventId.uuidString.lowercased()),
            "occurred_at": .string(RFC3339.format(recorded.occurredAt)), "confirmed": true,
        ]
        switch event {
        case .couponsAdjusted(let e):
            row["operation"] = "会議所操作"
            row["content"] = .string(e.reason)
            if e.delta.isAddition {
                row["purchased"] = .int(Int64(e.delta.value))
            } else {
                row["used"] = .int(Int64(-e.delta.value))
            }
            row["balance_after"] = .int(Int64(e.balanceAfter.value))
        case .couponUsed(let e):
            row["operation"] = "使用"
            row["content"] = .string("発給受付番号 \(e.receptionNo)")
            row["used"] = .int(Int64(e.coupons.value))
            row["balance_after"] = .int(Int64(e.balanceAfter.value))
        case .couponReturned(let e):
            row["operation"] = "返却"
            row["content"] = .string("発給受付番号 \(e.receptionNo) \(e.reason == .onHold ? "保留" : "取下げ")")
            row["purchased"] = .int(Int64(e.coupons.value))
            row["balance_after"] = .int(Int64(e.balanceAfter.value))
        default: return nil
        }
        return row
    }
}
