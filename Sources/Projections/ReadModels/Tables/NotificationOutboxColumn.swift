/// The columns of `projections.notification_outbox` (the e-mails due), in table order.
public enum NotificationOutboxColumn: String, ReadModelColumn {
    case eventId = "event_id"
    case kind
    case orderNo = "order_no"
    case tradeRegNo = "trade_reg_no"
    case email, subject, body
    case dueAt = "due_at"
    case sentAt = "sent_at"
    case position

    public static let table = ReadModelTable<Self>(
        "notification_outbox", key: [.eventId],
        types: [
            .timestamptz: [.dueAt, .sentAt], .bigint: [.position],
        ])
}
