/// Transfers one RFC 5322 message to a mail system. It returns only when the mail system took
/// responsibility for the message (SMTP `250` after `DATA`, `sendmail` exit 0); anything else is
/// a `MailDeliveryError`, and the outbox keeps the mail due.
///
/// A crash between the transfer and the outbox's `sent_at` makes the dispatcher send the same
/// message again, with the same `Message-ID` (derived from the causing event), so receivers and
/// relays that deduplicate by it see it once.
public protocol MailSender: Sendable {
    /// What `ledger status` and the logs call this transport, e.g. `smtp://127.0.0.1:25`.
    var transportDescription: String { get }
    func send(_ message: MailMessage) async throws(MailDeliveryError)
}

/// Why a transfer failed, and whether trying again later can help.
public struct MailDeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `temporary`: try again later (SMTP 4xx, connection refused or lost, timeout, sendmail
    /// EX_TEMPFAIL); `permanent`: the mail system refused this message for good (SMTP 5xx).
    public enum Kind: String, Sendable, Hashable { case temporary, permanent }

    public var kind: Kind
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "\(kind.rawValue): \(reason)" }
}
