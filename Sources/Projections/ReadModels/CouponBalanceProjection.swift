import Commands
import EventStore
import Foundation

/// `projections.coupon_balance` (DOMAIN.md §7.1), folded from the company streams.
public struct CouponBalanceProjection: Projection {
    public init() {}

    public let name = "coupon_balance"
    public let tables = ["coupon_balance"]
    public let eventTypes = [
        CompanyProfileRecorded.eventType, MembershipChanged.eventType, PaymentMethodsConfigured.eventType,
        CouponUsed.eventType, CouponReturned.eventType, CouponsAdjustedByChamber.eventType,
        CouponPurchaseOpened.eventType, CouponPurchaseClosed.eventType, CouponsIssued.eventType,
    ]

    /// One row, as folded.
    struct Row: Equatable {
        var tradeRegNo: String
        var companyName: String?
        var membership: String?
        var allowedMethods: [String] = []
        var available: Int32 = 0
        var pending: Int32 = 0
        var openOrderNo: String?
        var openOrderBuyer: String?
        var openOrderMethod: String?
        var position: Int64 = 0
    }

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        let touchedSet = Set(events.map { $0.stream.id })
        let touched = Array(touchedSet)
        var rows: [String: Row] = [:]
        for row in try connection.query(CouponBalanceSQL.select(schema), [PGTextArray(touched)]).rows {
            let loaded = try CouponBalanceSQL.decode(row)
            rows[loaded.tradeRegNo] = loaded
        }
        for event in events {
            guard let decoded = try CompanyEvent.decode(eventType: event.eventType, data: Data(event.data.utf8)) else {
                continue
            }
            let key = event.stream.id
            var row = rows[key] ?? Row(tradeRegNo: key)
            Self.fold(&row, decoded)
            row.position = event.globalPosition
            rows[key] = row
        }
        // One set-based upsert for every touched company.
        let changed = rows.values.filter { touchedSet.contains($0.tradeRegNo) }.map { row -> JSONRowTable.Row in
            [
                "trade_reg_no": .string(row.tradeRegNo), "company_name": json(row.companyName),
                "membership": json(row.membership),
                "allowed_methods": .array(row.allowedMethods.map(JSONValue.string)),
                "available": .int(Int64(row.available)),
                "pending_purchase": .int(Int64(row.pending)), "open_order_no": json(row.openOrderNo),
                "open_order_buyer_user_id": json(row.openOrderBuyer), "open_order_method": json(row.openOrderMethod),
                "position": .int(row.position),
            ]
        }
        try Self.table.upsert(changed, schema: schema, on: connection)
    }

    static let table = JSONRowTable(
        table: "coupon_balance", key: ["trade_reg_no"],
        columns: [
            "trade_reg_no", "company_name", "membership", "allowed_methods", "available", "pending_purchase",
            "open_order_no", "open_order_buyer_user_id", "open_order_method", "position",
        ])

    static func fold(_ row: inout Row, _ event: CompanyEvent) {
        switch event {
        case .profileRecorded(let e): row.companyName = e.companyName
        case .membershipChanged(let e): row.membership = e.membership.rawValue
        case .paymentMethodsConfigured(let e): row.allowedMethods = e.methods.map(\.rawValue).sorted()
        case .couponUsed(let e): row.available = e.balanceAfter.value
        case .couponReturned(let e): row.available = e.balanceAfter.value
        case .couponsAdjusted(let e): row.available = e.balanceAfter.value
        case .purchaseOpened(let e):
            row.pending = e.coupons.value
            row.openOrderNo = e.orderNo.stringValue
            row.openOrderBuyer = e.buyerUserId.stringValue
            row.openOrderMethod = e.paymentMethod.rawValue
        case .purchaseClosed(let e):
            if row.openOrderNo == e.orderNo.stringValue {
                row.pending = 0
                row.openOrderNo = nil
                row.openOrderBuyer = nil
                row.openOrderMethod = nil
            }
        case .couponsIssued(let e):
            row.available = e.balanceAfter.value
            row.pending = e.pendingAfter.value
        }
    }
}

/// The statements of `coupon_balance`.
enum CouponBalanceSQL {
    static func select(_ schema: String) -> String {
        """
        SELECT trade_reg_no, company_name, membership, allowed_methods::text, available, pending_purchase,
               open_order_no, open_order_buyer_user_id, open_order_method, position
          FROM \(quoteIdentifier(schema)).coupon_balance WHERE trade_reg_no = ANY ($1::text[])
        """
    }

    static func decode(_ row: PGRow) throws -> CouponBalanceProjection.Row {
        let methods = try row.decode(String.self, 3).trimmingCharacters(in: CharacterSet(charactersIn: "{}"))
        return CouponBalanceProjection.Row(
            tradeRegNo: try row.decode(String.self, 0), companyName: try row.decodeIfPresent(String.self, 1),
            membership: try row.decodeIfPresent(String.self, 2),
            allowedMethods: methods.isEmpty ? [] : methods.split(separator: ",").map(String.init),
            available: try row.decode(Int32.self, 4), pending: try row.decode(Int32.self, 5),
            openOrderNo: try row.decodeIfPresent(String.self, 6),
            openOrderBuyer: try row.decodeIfPresent(String.self, 7),
            openOrderMethod: try row.decodeIfPresent(String.self, 8), position: try row.decode(Int64.self, 9))
    }
}
