/// The columns of `projections.notification_outbox` (the e-mails due), in table order.
public enum NotificationOutboxColumn: String, ReadModelColumn {
    case eventId, kind, orderNo, tradeRegNo, email, subject, body, dueAt, sentAt, position
    case attempts, nextAttemptAt, lastError, failedAt

    public static let table = ReadModelTable<Self>(
        "notification_outbox", key: [.eventId],
        types: [
            .timestamptz: [.dueAt, .sentAt, .nextAttemptAt, .failedAt], .bigint: [.position], .integer: [.attempts],
        ])
}
