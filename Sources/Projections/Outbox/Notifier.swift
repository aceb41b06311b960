import EventStore
import Foundation

/// An e-mail due, as the outbox holds it.
public struct OutgoingMail: Sendable, Hashable {
    public var eventId: String
    public var kind: String
    public var email: String
    public var subject: String
    public var body: String
}

/// Delivers mail. Implementations must be idempotent per `eventId`: a crash between sending and
/// marking sent makes the dispatcher send the same mail again.
public protocol MailSender: Sendable {
    func send(_ mail: OutgoingMail) async throws
}

/// Writes each mail as an RFC 5322 message file `<eventId>.eml` into a folder (the shipped sender;
/// SMTP is a later step). Writing the same mail again replaces the file: idempotent.
public struct FileMailSender: MailSender {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func send(_ mail: OutgoingMail) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let message = """
            To: \(mail.email)
            Subject: \(mail.subject)
            Content-Type: text/plain; charset=utf-8
            X-Ledger-Event: \(mail.eventId)

            \(mail.body)

            """
        try Data(message.utf8).write(to: directory.appendingPathComponent("\(mail.eventId).eml"), options: .atomic)
    }
}

/// Sends the outbox's unsent mails with a sender and marks each sent.
public struct NotificationDispatcher: Sendable {
    public let pool: ConnectionPool
    public let sender: any MailSender

    public init(pool: ConnectionPool, sender: any MailSender) {
        self.pool = pool
        self.sender = sender
    }

    /// Sends what is due now; returns the number sent.
    public func dispatch(limit: Int = 100) async throws -> Int {
        let due = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT event_id, kind, email, subject, body FROM projections.notification_outbox
                 WHERE sent_at IS NULL ORDER BY due_at, event_id LIMIT $1
                """, [limit]
            ).rows.map {
                OutgoingMail(
                    eventId: try $0.decode(String.self, 0), kind: try $0.decode(String.self, 1),
                    email: try $0.decode(String.self, 2), subject: try $0.decode(String.self, 3),
                    body: try $0.decode(String.self, 4))
            }
        }
        for mail in due {
            try await sender.send(mail)
            try await pool.withConnection { connection in
                try await connection.query(
                    "UPDATE projections.notification_outbox SET sent_at = clock_timestamp() WHERE event_id = $1 AND sent_at IS NULL",
                    [mail.eventId])
            }
        }
        return due.count
    }
}
