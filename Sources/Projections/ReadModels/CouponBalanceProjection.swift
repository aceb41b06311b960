import Commands
import EventStore
import Foundation

/// `projections.coupon_balance` (DOMAIN.md §7.1), folded from the company streams by the
/// domain's own `CompanyState.evolve`.
public struct CouponBalanceProjection: Projection {
    public init() {}

    public let name = "coupon_balance"
    public let tables = [CouponBalanceColumn.tableName]
    public let eventTypes = CompanyEvent.eventTypes

    typealias Row = TableRow<CouponBalanceColumn>
    static let table = JSONRowTable<CouponBalanceColumn>()

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var rows: [String: Row] = [:]
        var accounts: [String: CompanyState] = [:]
        for row in try Self.table.load(
            schema, where: .tradeRegNo, in: Array(Set(events.map { $0.stream.id })),
            on: connection)
        {
            guard let key = row[.tradeRegNo]?.text else { continue }
            rows[key] = row
            accounts[key] = try Self.account(row)
        }
        for event in events {
            guard let decoded = try CompanyEvent.decode(eventType: event.eventType, data: Data(event.data.utf8)) else {
                continue
            }
            let key = event.stream.id
            let account = CompanyState.evolve(accounts[key] ?? CompanyState(), decoded)
            var row = rows[key] ?? [.tradeRegNo: .string(key)]
            if let profile = account.profile {
                row[.companyName] = .string(profile.companyName)
                row[.chamberId] = .string(profile.chamberId.stringValue)
            }
            if let latest = account.memberships.last { row[.membership] = .string(latest.membership.rawValue) }
            row[.position] = .int(event.globalPosition)
            rows[key] = row
            accounts[key] = account
        }
        // One set-based upsert for every touched company.
        let changed = rows.map { key, row in Self.write(accounts[key] ?? CompanyState(), into: row) }
        try Self.table.upsert(changed, schema: schema, on: connection)
    }

    /// The coupon account a row stores, as the domain's state (the profile and the membership
    /// history are not stored: the row keeps the latest name and membership).
    static func account(_ row: Row) throws -> CompanyState {
        var account = CompanyState()
        if case .array(let methods) = row[.allowedMethods] ?? .null {
            account.paymentMethods = Set(methods.compactMap { $0.text.flatMap(CouponPaymentMethod.init(rawValue:)) })
        }
        account.available = Count(exactly: row[.available]?.integer ?? 0) ?? .zero
        account.pending = Count(exactly: row[.pendingPurchase]?.integer ?? 0) ?? .zero
        if let orderNo = row[.openOrderNo]?.text, let buyer = row[.openOrderBuyerUserId]?.text,
            let method = row[.openOrderMethod]?.text.flatMap(CouponPaymentMethod.init(rawValue:))
        {
            account.openPurchase = CompanyState.OpenPurchase(
                orderNo: try OrderNo(parsing: orderNo, field: CouponBalanceColumn.openOrderNo.name),
                buyerUserId: try UserId(parsing: buyer, field: CouponBalanceColumn.openOrderBuyerUserId.name),
                paymentMethod: method, coupons: account.pending)
        }
        return account
    }

    /// `row` with the account's methods, counts and open purchase.
    static func write(_ account: CompanyState, into row: Row) -> Row {
        var row = row
        row[.allowedMethods] = .array(account.paymentMethods.map(\.rawValue).sorted().map(JSONValue.string))
        row[.available] = .int(Int64(account.available.value))
        row[.pendingPurchase] = .int(Int64(account.pending.value))
        row[.openOrderNo] = json(account.openPurchase?.orderNo.stringValue)
        row[.openOrderBuyerUserId] = json(account.openPurchase?.buyerUserId.stringValue)
        row[.openOrderMethod] = json(account.openPurchase?.paymentMethod.rawValue)
        return row
    }
}
