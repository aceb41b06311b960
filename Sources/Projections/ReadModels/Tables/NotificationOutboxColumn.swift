/// The columns of `projections.notification_outbox` (the e-mails due), in table order.
public enum NotificationOutboxColumn: String, ReadModelColumn {
    case eventId = "event_id", kind, orderNo = "order_no", tradeRegNo = "trade_reg_no", email, subject, body
    case dueAt = "due_at", sentAt = "sent_at", position

    public static let table = ReadModelTable<Self>("notification_outbox", key: [.eventId], types: [
        .timestamptz: [.dueAt, .sentAt], .bigint: [.position]])
}
