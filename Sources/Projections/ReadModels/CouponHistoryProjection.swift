import Commands
import EventStore
import Foundation

/// `projections.coupon_history` (DOMAIN.md §7.2, クーポン履歴): one row per purchase (keyed by
/// order number, confirmed when its coupons are issued, voided rows kept with a suffix), per
/// chamber adjustment, per coupon used and per coupon returned, each with the balance after it.
public struct CouponHistoryProjection: Projection {
    public init() {}

    public let name = "coupon_history"
    public let tables = [CouponHistoryColumn.tableName]
    public let eventTypes = [
        CouponOrderPlaced.eventType, BankDepositReceived.eventType, CouponOrderFulfilled.eventType,
        CouponsIssued.eventType, CouponOrderCancelled.eventType, CouponOrderExpired.eventType,
        CouponOrderClosedUnderpaid.eventType, CouponOrderPaymentFailed.eventType,
        CouponsAdjustedByChamber.eventType, CouponUsed.eventType, CouponReturned.eventType,
    ]

    typealias Row = TableRow<CouponHistoryColumn>
    static let table = JSONRowTable<CouponHistoryColumn>()

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var orderNos = Set<String>()
        var decoded: [(RecordedEvent, CouponOrderEvent?, CompanyEvent?)] = []
        for event in events {
            let data = Data(event.data.utf8)
            if event.stream.streamCategory == .couponOrder {
                orderNos.insert(event.stream.id)
                decoded.append((event, try CouponOrderEvent.decode(eventType: event.eventType, data: data), nil))
            } else if let company = try CompanyEvent.decode(eventType: event.eventType, data: data) {
                if case .couponsIssued(let issued) = company { orderNos.insert(issued.orderNo.stringValue) }
                decoded.append((event, nil, company))
            }
        }
        var purchases: [String: Row] = [:]
        for row in try Self.table.load(schema, where: .entryId, in: Array(orderNos), on: connection) {
            if let key = row[.entryId]?.text { purchases[key] = row }
        }
        var others: [Row] = []
        var dirty = Set<String>()
        for (event, order, company) in decoded {
            let position = JSONValue.int(event.globalPosition)
            if let order {
                let key = event.stream.id
                if var row = Self.fold(purchases[key], order) {
                    row[.position] = position
                    purchases[key] = row
                    dirty.insert(key)
                }
            } else if let company {
                if case .couponsIssued(let issued) = company, var row = purchases[issued.orderNo.stringValue] {
                    row[.confirmed] = true
                    row[.balanceAfter] = .int(Int64(issued.balanceAfter.value))
                    row[.position] = position
                    purchases[issued.orderNo.stringValue] = row
                    dirty.insert(issued.orderNo.stringValue)
                } else if var row = Self.entry(company, event) {
                    row[.position] = position
                    others.append(row)
                }
            }
        }
        try Self.table.upsert(dirty.sorted().compactMap { purchases[$0] } + others, schema: schema, on: connection)
    }

    /// Purchase rows follow their order; the state is the domain's (`CouponOrderState.evolve`).
    static func fold(_ current: Row?, _ event: CouponOrderEvent) -> Row? {
        let state = CouponOrderState.after(event, stored: current?[.state])
        if case .placed(let e) = event {
            return [
                .tradeRegNo: .string(e.tradeRegNo.stringValue), .entryId: .string(e.orderNo.stringValue),
                .occurredAt: .string(RFC3339.format(e.placedAt)),
                .operation: .string(e.paymentMethod == .bankTransfer ? "購入(振込)" : "購入(クレジット)"),
                .confirmed: false, .content: .string("クーポンを購入 ユーザ: \(e.buyerName)"),
                .purchaseAmountYen: .int(e.amountYen.value), .purchased: .int(Int64(e.totalCoupons.value)),
                .state: state.storedStatus ?? .null,
            ]
        }
        guard var row = current else { return nil }
        func void(_ suffix: String) { row[.content] = .string((row[.content]?.text ?? "") + suffix) }
        switch event {
        case .depositReceived(let e) where state.acceptedDeposit == e:
            row[.depositAmountYen] = .int((row[.depositAmountYen]?.integer ?? 0) + e.amountYen.value)
        case .fulfilled(let e):
            row[.settledAmountYen] = .int(e.settledAmountYen.value)
            if row[.operation]?.text == "購入(クレジット)" { row[.depositAmountYen] = .int(e.settledAmountYen.value) }
        case .cancelled: void("(キャンセル)")
        case .expired: void("(期限切れ)")
        case .closedUnderpaid: void("(入金不足)")
        case .paymentFailed: void("(決済失敗)")
        default: return nil
        }
        if let status = state.storedStatus { row[.state] = status }
        return row
    }

    /// Rows of adjustments, uses and returns.
    static func entry(_ event: CompanyEvent, _ recorded: RecordedEvent) -> Row? {
        var row: Row = [
            .tradeRegNo: .string(recorded.stream.id), .entryId: .string(recorded.eventId.uuidString.lowercased()),
            .occurredAt: .string(RFC3339.format(recorded.occurredAt)), .confirmed: true,
        ]
        switch event {
        case .couponsAdjusted(let e):
            row[.operation] = "会議所操作"
            row[.content] = .string(e.reason)
            if e.delta.isAddition {
                row[.purchased] = .int(Int64(e.delta.value))
            } else {
                row[.used] = .int(Int64(-e.delta.value))
            }
            row[.balanceAfter] = .int(Int64(e.balanceAfter.value))
        case .couponUsed(let e):
            row[.operation] = "使用"
            row[.content] = .string("発給受付番号 \(e.receptionNo)")
            row[.used] = .int(Int64(e.coupons.value))
            row[.balanceAfter] = .int(Int64(e.balanceAfter.value))
        case .couponReturned(let e):
            row[.operation] = "返却"
            row[.content] = .string("発給受付番号 \(e.receptionNo) \(e.reason == .onHold ? "保留" : "取下げ")")
            row[.purchased] = .int(Int64(e.coupons.value))
            row[.balanceAfter] = .int(Int64(e.balanceAfter.value))
        default: return nil
        }
        return row
    }
}
