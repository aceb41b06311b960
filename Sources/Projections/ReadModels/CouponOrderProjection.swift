import Commands
import EventStore
import Foundation

/// `projections.coupon_order` (DOMAIN.md §7.3, クーポン購入状況): one row per order with its
/// state (§5.3), virtual account, last check, deposits and confirmation.
public struct CouponOrderProjection: Projection {
    public init() {}

    public let name = "coupon_order"
    public let tables = [CouponOrderColumn.tableName]
    public let eventTypes = [
        CouponOrderPlaced.eventType, VirtualAccountAssigned.eventType, BankDepositChecked.eventType,
        BankDepositReceived.eventType, CouponOrderFulfilled.eventType, CouponOrderCancelled.eventType,
        CouponOrderExpired.eventType, CouponOrderClosedUnderpaid.eventType, CouponOrderPaymentFailed.eventType,
    ]

    typealias Row = TableRow<CouponOrderColumn>
    static let table = JSONRowTable<CouponOrderColumn>()

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var rows: [String: Row] = [:]
        for row in try Self.table.load(
            schema, where: .orderNo, in: Array(Set(events.map { $0.stream.id })),
            on: connection)
        {
            if let key = row[.orderNo]?.text { rows[key] = row }
        }
        for event in events {
            guard let decoded = try CouponOrderEvent.decode(eventType: event.eventType, data: Data(event.data.utf8)),
                var row = Self.fold(rows[event.stream.id], decoded)
            else { continue }
            row[.position] = .int(event.globalPosition)
            rows[event.stream.id] = row
        }
        try Self.table.upsert(Array(rows.values), schema: schema, on: connection)
    }

    /// The row after `event`; its state is the domain's (`CouponOrderState.evolve`).
    static func fold(_ current: Row?, _ event: CouponOrderEvent) -> Row? {
        let state = CouponOrderState.after(event, stored: current?[.state])
        let status = state.storedStatus
        if case .placed(let e) = event {
            return [
                .orderNo: .string(e.orderNo.stringValue), .tradeRegNo: .string(e.tradeRegNo.stringValue),
                .buyerUserId: .string(e.buyerUserId.stringValue), .buyerName: .string(e.buyerName),
                .paymentMethod: .string(e.paymentMethod.rawValue),
                .state: status ?? .null,
                .amountYen: .int(e.amountYen.value), .taxableAmountYen: .int(e.taxableAmountYen.value),
                .consumptionTaxYen: .int(e.consumptionTaxYen.value), .totalCoupons: .int(Int64(e.totalCoupons.value)),
                .lines: JSONCoding.value(e.lines), .orderDate: .string(e.orderDate.stringValue),
                .placedAt: .string(RFC3339.format(e.placedAt)), .emailOptIn: .bool(e.emailOptIn),
                .email: json(e.email), .settlementNo: json(e.settlementNo?.stringValue),
            ]
        }
        guard var row = current else { return nil }
        switch event {
        case .virtualAccountAssigned(let e):
            row[.bankCode] = .string(e.account.bankCode.stringValue)
            row[.bankName] = .string(e.account.bankName)
            row[.branchCode] = .string(e.account.branchCode.stringValue)
            row[.branchName] = .string(e.account.branchName)
            row[.accountType] = .string(e.account.accountType.rawValue)
            row[.accountNumber] = .string(e.account.accountNumber.stringValue)
            row[.accountHolder] = .string(e.account.accountHolder)
            row[.validUntil] = .string(e.validUntil.stringValue)
        case .depositChecked(let e):
            row[.lastCheckedAt] = .string(RFC3339.format(e.checkedAt))
        case .depositReceived(let e):
            row[.receivedYen] = .int((row[.receivedYen]?.integer ?? 0) + e.amountYen.value)
            if state.acceptedDeposit == e { row[.scheduledIssueDate] = json(e.scheduledIssueDate?.stringValue) }
        case .fulfilled(let e):
            row[.confirmationDate] = .string(e.confirmationDate.stringValue)
            row[.settledAmountYen] = .int(e.settledAmountYen.value)
        case .cancelled, .expired, .closedUnderpaid, .paymentFailed: break
        default: return nil
        }
        if let status { row[.state] = status }
        return row
    }
}
