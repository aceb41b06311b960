import EventStore
import Foundation
import Logging

/// Sends the outbox's due mails with a sender. A mail is marked sent only when the transfer
/// succeeded; a temporary failure puts it back with a later `next_attempt_at` (backoff), a
/// permanent one or too many attempts mark it failed. Mails are claimed with `FOR UPDATE SKIP
/// LOCKED` and a lease, so two notifiers never send the same mail at once. Each failed transfer
/// is logged with its cause (`mail not sent; retrying later`, `mail failed for good`), never with
/// the address, subject or body.
public struct NotificationDispatcher: Sendable {
    public let pool: ConnectionPool
    public let sender: any MailSender
    public let from: MailAddress
    public let retry: MailRetryPolicy
    public let logger: Logger

    /// What one round did.
    public struct Round: Sendable, Hashable {
        public var sent = 0
        public var retrying = 0
        public var failed = 0
        /// The first failure of the round, for the log.
        public var firstError: String?
        public var attempted: Int { sent + retrying + failed }

        public init() {}
    }

    public init(
        pool: ConnectionPool, sender: any MailSender, from: MailAddress, retry: MailRetryPolicy = .init(),
        logger: Logger = Logger(label: "ledger.notifier")
    ) {
        self.logger = logger
        self.pool = pool
        self.sender = sender
        self.from = from
        self.retry = retry
    }

    /// Sends up to `limit` mails due now, one transfer each.
    public func dispatch(limit: Int = 100, now: @Sendable () -> Date = Date.init) async throws -> Round {
        let due = try await claim(limit: limit)
        var round = Round()
        for mail in due {
            let failure: MailDeliveryError?
            do throws(MailDeliveryError) {
                try await sender.send(try MailMessage(mail, from: from, date: now()))
                failure = nil
            } catch {
                failure = error
            }
            guard let failure else {
                try await record(mail, sent: true, error: nil, failed: false)
                round.sent += 1
                continue
            }
            let failed = failure.kind == .permanent || mail.attempts >= retry.maximumAttempts
            try await record(mail, sent: false, error: failure.description, failed: failed)
            if failed { round.failed += 1 } else { round.retrying += 1 }
            var metadata: Logger.Metadata = [
                "eventId": .string(mail.eventId), "mailKind": .string(mail.kind),
                "attempts": .stringConvertible(mail.attempts), "transport": .string(sender.transportDescription),
                "error": .string(failure.description),
            ]
            if failed {
                logger.error("mail failed for good; it is not tried again", metadata: metadata)
            } else {
                metadata["retryInSeconds"] = .stringConvertible(
                    Self.milliseconds(retry.delay(afterAttempt: mail.attempts)) / 1000)
                logger.warning("mail not sent; retrying later", metadata: metadata)
            }
            round.firstError = round.firstError ?? "\(mail.eventId) to \(mail.email): \(failure)"
        }
        return round
    }

    /// Takes up to `limit` due mails for this notifier: counts the attempt and holds them for the
    /// claim period. `attempts` in the result includes this one.
    private func claim(limit: Int) async throws -> [OutgoingMail] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                UPDATE projections.notification_outbox
                   SET attempts = attempts + 1, next_attempt_at = clock_timestamp() + $2::bigint * interval '1 millisecond'
                 WHERE event_id IN (
                       SELECT event_id FROM projections.notification_outbox
                        WHERE sent_at IS NULL AND failed_at IS NULL
                          AND coalesce(next_attempt_at, due_at) <= clock_timestamp()
                        ORDER BY coalesce(next_attempt_at, due_at), event_id
                        LIMIT $1 FOR UPDATE SKIP LOCKED)
                RETURNING event_id, kind, email, subject, body, attempts, due_at
                """, [limit, Self.milliseconds(retry.claim)]
            ).rows.map {
                (
                    OutgoingMail(
                        eventId: try $0.decode(String.self, 0), kind: try $0.decode(String.self, 1),
                        email: try $0.decode(String.self, 2), subject: try $0.decode(String.self, 3),
                        body: try $0.decode(String.self, 4), attempts: try $0.decode(Int.self, 5)),
                    try $0.decode(Date.self, 6)
                )
            }
            .sorted { ($0.1, $0.0.eventId) < ($1.1, $1.0.eventId) }
            .map(\.0)
        }
    }

    private func record(_ mail: OutgoingMail, sent: Bool, error: String?, failed: Bool) async throws {
        let delay = Self.milliseconds(retry.delay(afterAttempt: mail.attempts))
        _ = try await pool.withConnection { connection in
            try await connection.query(
                """
                UPDATE projections.notification_outbox
                   SET sent_at = CASE WHEN $2 THEN clock_timestamp() END,
                       failed_at = CASE WHEN $4 THEN clock_timestamp() END,
                       last_error = $3,
                       next_attempt_at = CASE WHEN $2 OR $4 THEN next_attempt_at
                                              ELSE clock_timestamp() + $5::bigint * interval '1 millisecond' END
                 WHERE event_id = $1 AND sent_at IS NULL
                """, [mail.eventId, sent, error, failed, delay])
        }
    }

    /// How many mails of the outbox are in each state (for metrics).
    public struct Counts: Sendable, Hashable {
        /// Unsent, not given up, and due now (first attempt or retry).
        public var due: Int
        /// Unsent, not given up, with a retry or claim later than now.
        public var scheduled: Int
        public var sent: Int
        /// Given up: a permanent refusal or too many attempts.
        public var failed: Int
    }

    /// The outbox's mails by state, in one pass over the table.
    public static func counts(_ connection: PGConnection) async throws -> Counts {
        let row = try await connection.query(
            """
            SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL
                                      AND coalesce(next_attempt_at, due_at) <= clock_timestamp()),
                   count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL
                                      AND coalesce(next_attempt_at, due_at) > clock_timestamp()),
                   count(*) FILTER (WHERE sent_at IS NOT NULL),
                   count(*) FILTER (WHERE failed_at IS NOT NULL)
              FROM projections.notification_outbox
            """
        ).singleRow()
        return Counts(
            due: try row.decode(Int.self, 0), scheduled: try row.decode(Int.self, 1), sent: try row.decode(Int.self, 2),
            failed: try row.decode(Int.self, 3))
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
