import Foundation

/// One notification as an RFC 5322 message: `From`, `To`, `Date`, `Message-ID`, `MIME-Version`,
/// `Content-Type: text/plain; charset=UTF-8` with a base64 body (any mail system carries it
/// unchanged), RFC 2047 encoded `Subject`, and `Auto-Submitted: auto-generated` (RFC 3834) so that
/// vacation responders stay quiet. Lines end in CRLF.
public struct MailMessage: Sendable, Hashable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var body: String
    public var date: Date
    /// `<…>` included. Derived from the causing event: the same mail sent twice has one id.
    public var messageID: String
    /// The outbox row it came from (`X-Ledger-Event`).
    public var eventId: String

    public init(
        from: MailAddress, to: MailAddress, subject: String, body: String, date: Date, messageID: String,
        eventId: String
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
        self.eventId = eventId
    }

    /// The message for an outbox mail, or a permanent error when its recipient is not an address.
    public init(_ mail: OutgoingMail, from: MailAddress, date: Date) throws(MailDeliveryError) {
        guard let to = MailAddress(mail.email) else {
            throw MailDeliveryError(.permanent, "the recipient \(mail.email.debugDescription) is not a mail address")
        }
        self.init(
            from: from, to: to, subject: mail.subject, body: mail.body, date: date,
            messageID: "<\(mail.eventId).\(mail.kind)@\(from.domain)>", eventId: mail.eventId)
    }

    /// The whole message, CRLF line ends, ready for SMTP `DATA` (before dot-stuffing) or sendmail.
    public var rendered: String {
        var lines = [
            "From: \(from.headerValue)",
            "To: \(to.headerValue)",
            EncodedWords.header("Subject", subject),
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
            "X-Ledger-Event: \(eventId)",
            "",
        ]
        lines += Self.base64Lines(Self.canonicalText(body))
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `Wed, 02 Dec 2026 10:15:00 +0900`: RFC 5322 §3.3, in JST (the chamber's time).
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    /// text/plain in canonical form (RFC 2046 §4.1.1): CRLF line ends, ending in one.
    static func canonicalText(_ text: String) -> Data {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        return Data((lines.joined(separator: "\r\n") + (text.hasSuffix("\n") ? "" : "\r\n")).utf8)
    }

    /// Base64 in lines of 76 characters (RFC 2045 §6.8).
    static func base64Lines(_ data: Data) -> [String] {
        let encoded = data.base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }
}
