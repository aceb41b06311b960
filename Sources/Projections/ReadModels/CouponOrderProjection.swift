import Commands
import EventStore
import Foundation

/// `projections.coupon_order` (DOMAIN.md §7.3, クーポン購入状況): one row per order with its
/// state (§5.3), virtual account, last check, deposits and confirmation.
public struct CouponOrderProjection: Projection {
    public init() {}

    public let name = "coupon_order"
    public let tables = ["coupon_order"]
    public let eventTypes = [
        CouponOrderPlaced.eventType, VirtualAccountAssigned.eventType, BankDepositChecked.eventType,
        BankDepositReceived.eventType, CouponOrderFulfilled.eventType, CouponOrderCancelled.eventType,
        CouponOrderExpired.eventType, CouponOrderClosedUnderpaid.eventType, CouponOrderPaymentFailed.eventType,
    ]

    static let table = JSONRowTable(
        table: "coupon_order", key: ["order_no"],
        columns: [
            "order_no", "trade_reg_no", "buyer_user_id", "buyer_name", "payment_method", "state", "amount_yen",
            "taxable_amount_yen", "consumption_tax_yen", "total_coupons", "lines", "order_date", "placed_at",
            "email_opt_in", "email", "settlement_no", "bank_code", "bank_name", "branch_code", "branch_name",
            "account_type", "account_number", "account_holder", "valid_until", "last_checked_at", "received_yen",
            "scheduled_issue_date", "confirmation_date", "settled_amount_yen", "position",
        ])

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var rows: [String: JSONRowTable.Row] = [:]
        for row in try Self.table.load(
            schema, where: "order_no", in: Array(Set(events.map { $0.stream.id })),
            on: connection)
        {
            if let key = row["order_no"]?.text { rows[key] = row }
        }
        for event in events {
            guard let decoded = try CouponOrderEvent.decode(eventType: event.eventType, data: Data(event.data.utf8)),
                var row = Self.fold(rows[event.stream.id], decoded)
            else { continue }
            row["position"] = .int(event.globalPosition)
            rows[event.stream.id] = row
        }
        try Self.table.upsert(Array(rows.values), schema: schema, on: connection)
    }

    static func fold(_ current: JSONRowTable.Row?, _ event: CouponOrderEvent) -> JSONRowTable.Row? {
        if case .placed(let e) = event {
            return [
                "order_no": .string(e.orderNo.stringValue), "trade_reg_no": .string(e.tradeRegNo.stringValue),
                "buyer_user_id": .string(e.buyerUserId.stringValue), "buyer_name": .string(e.buyerName),
                "payment_method": .string(e.paymentMethod.rawValue),
                "state": .string(e.paymentMethod == .bankTransfer ? "awaitingTransfer" : "awaitingCardAuth"),
                "amount_yen": .int(e.amountYen.value), "taxable_amount_yen": .int(e.taxableAmountYen.value),
                "consumption_tax_yen": .int(e.consumptionTaxYen.value),
                "total_coupons": .int(Int64(e.totalCoupons.value)),
                "lines": JSONCoding.value(e.lines), "order_date": .string(e.orderDate.stringValue),
                "placed_at": .string(RFC3339.format(e.placedAt)), "email_opt_in": .bool(e.emailOptIn),
                "email": json(e.email), "settlement_no": json(e.settlementNo?.stringValue),
            ]
        }
        guard var row = current else { return nil }
        switch event {
        case .virtualAccountAssigned(let e):
            row["bank_code"] = .string(e.account.bankCode.stringValue)
            row["bank_name"] = .string(e.account.bankName)
            row["branch_code"] = .string(e.account.branchCode.stringValue)
            row["branch_name"] = .string(e.account.branchName)
            row["account_type"] = .string(e.account.accountType.rawValue)
            row["account_number"] = .string(e.account.accountNumber.stringValue)
            row["account_holder"] = .string(e.account.accountHolder)
            row["valid_until"] = .string(e.validUntil.stringValue)
        case .depositChecked(let e):
            row["last_checked_at"] = .string(RFC3339.format(e.checkedAt))
        case .depositReceived(let e):
            row["received_yen"] = .int((row["received_yen"]?.integer ?? 0) + e.amountYen.value)
            if e.acceptedForOrder {
                row["state"] = "depositConfirmed"
                row["scheduled_issue_date"] = json(e.scheduledIssueDate?.stringValue)
            }
        case .fulfilled(let e):
            row["state"] = "fulfilled"
            row["confirmation_date"] = .string(e.confirmationDate.stringValue)
            row["settled_amount_yen"] = .int(e.settledAmountYen.value)
        case .cancelled: row["state"] = "cancelled"
        case .expired: row["state"] = "expired"
        case .closedUnderpaid: row["state"] = "closedUnderpaid"
        case .paymentFailed: row["state"] = "paymentFailed"
        default: return nil
        }
        return row
    }
}
