/// An e-mail due, as the outbox holds it.
public struct OutgoingMail: Sendable, Hashable {
    public var eventId: String
    public var kind: String
    public var email: String
    public var subject: String
    public var body: String
    /// Transfers already tried for this mail (0 for the first).
    public var attempts: Int

    public init(eventId: String, kind: String, email: String, subject: String, body: String, attempts: Int = 0) {
        self.eventId = eventId
        self.kind = kind
        self.email = email
        self.subject = subject
        self.body = body
        self.attempts = attempts
    }
}
