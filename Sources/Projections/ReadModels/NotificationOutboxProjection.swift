import Commands
import EventStore
import Foundation

/// `projections.notification_outbox`: the e-mails due, one per causing event (R42, R57). Buyers who
/// opted in get the transfer details when a bank order gets its account, and a notice when coupons
/// are issued. Rows are written once (keyed by event id); the sender marks them sent.
public struct NotificationOutboxProjection: Projection {
    public init() {}

    public let name = "notification_outbox"
    public let tables = [NotifierOrderColumn.tableName, NotificationOutboxColumn.tableName]
    public let eventTypes = [CouponOrderPlaced.eventType, VirtualAccountAssigned.eventType, CouponsIssued.eventType]

    typealias Recipient = TableRow<NotifierOrderColumn>
    typealias Mail = TableRow<NotificationOutboxColumn>
    static let orders = JSONRowTable<NotifierOrderColumn>()
    static let outbox = JSONRowTable<NotificationOutboxColumn>()

    public func apply(_ events: [RecordedEvent], schema: String, on connection: isolated PGConnection) throws {
        var recipients: [String: Recipient] = [:]
        var newRecipients: [Recipient] = []
        var decoded: [(RecordedEvent, Any)] = []
        var orderNos = Set<String>()
        for event in events {
            let data = Data(event.data.utf8)
            switch event.eventType {
            case CouponOrderPlaced.eventType:
                let placed = try JSONCoding.decoder.decode(CouponOrderPlaced.self, from: data)
                if placed.emailOptIn, let email = placed.email, !email.isEmpty {
                    let row: Recipient = [
                        .orderNo: .string(placed.orderNo.stringValue),
                        .tradeRegNo: .string(placed.tradeRegNo.stringValue),
                        .buyerName: .string(placed.buyerName), .email: .string(email),
                        .position: .int(event.globalPosition),
                    ]
                    recipients[placed.orderNo.stringValue] = row
                    newRecipients.append(row)
                }
            case VirtualAccountAssigned.eventType:
                let assigned = try JSONCoding.decoder.decode(VirtualAccountAssigned.self, from: data)
                orderNos.insert(assigned.orderNo.stringValue)
                decoded.append((event, assigned))
            case CouponsIssued.eventType:
                let issued = try JSONCoding.decoder.decode(CouponsIssued.self, from: data)
                orderNos.insert(issued.orderNo.stringValue)
                decoded.append((event, issued))
            default: break
            }
        }
        try Self.orders.upsert(newRecipients, schema: schema, on: connection)
        for row in try Self.orders.load(schema, where: .orderNo, in: Array(orderNos), on: connection) {
            if let key = row[.orderNo]?.text { recipients[key] = row }
        }
        var mails: [Mail] = []
        for (event, fact) in decoded {
            if let assigned = fact as? VirtualAccountAssigned, let to = recipients[assigned.orderNo.stringValue] {
                let account = assigned.account
                mails.append(
                    Self.mail(
                        event, to, kind: "transferDetails",
                        subject: "【貿易関係証明発給システム】振込先のご案内 (注文番号 \(assigned.orderNo))",
                        body: """
                            \(to[.buyerName]?.text ?? "") 様

                            クーポンのご購入ありがとうございます。下記の口座へお振込みください。
                            注文番号: \(assigned.orderNo)
                            振込先: \(account.bankName) (\(account.bankCode)) \(account.branchName) (\(account.branchCode)) 普通 \(account.accountNumber)
                            名義: \(account.accountHolder)
                            振込口座有効期限: \(assigned.validUntil)
                            """))
            } else if let issued = fact as? CouponsIssued, let to = recipients[issued.orderNo.stringValue] {
                mails.append(
                    Self.mail(
                        event, to, kind: "couponsIssued",
                        subject: "【貿易関係証明発給システム】クーポン発行のお知らせ (注文番号 \(issued.orderNo))",
                        body: """
                            \(to[.buyerName]?.text ?? "") 様

                            クーポン\(issued.coupons)枚を発行しました。現在のクーポン残高: \(issued.balanceAfter)枚
                            注文番号: \(issued.orderNo)
                            """))
            }
        }
        // Insert only: a row once written is never rewritten (its sent_at stays).
        try Self.outbox.insertNew(mails, schema: schema, on: connection)
    }

    static func mail(_ event: RecordedEvent, _ to: Recipient, kind: String, subject: String, body: String) -> Mail {
        [
            .eventId: .string(event.eventId.uuidString.lowercased()), .kind: .string(kind),
            .orderNo: to[.orderNo] ?? .null, .tradeRegNo: to[.tradeRegNo] ?? .null, .email: to[.email] ?? .null,
            .subject: .string(subject), .body: .string(body), .dueAt: .string(RFC3339.format(event.occurredAt)),
            .position: .int(event.globalPosition), .attempts: .int(0),
        ]
    }
}
