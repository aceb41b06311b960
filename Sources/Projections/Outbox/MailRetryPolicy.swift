/// When the outbox tries a mail again after a temporary failure: `base`, then twice as long each
/// time up to `maximumDelay`; after `maximumAttempts` transfers (or one permanent refusal) the
/// mail is marked failed (`failed_at`, `last_error`) for a person to look at.
public struct MailRetryPolicy: Sendable, Hashable {
    public var base: Duration
    public var maximumDelay: Duration
    public var maximumAttempts: Int
    /// How long a claimed mail is held by the notifier sending it: another notifier (a second
    /// `serve`) takes it over only after this, so each transfer happens once unless one crashes.
    public var claim: Duration

    public init(
        base: Duration = .seconds(60), maximumDelay: Duration = .seconds(3600), maximumAttempts: Int = 24,
        claim: Duration = .seconds(300)
    ) {
        self.base = base
        self.maximumDelay = maximumDelay
        self.maximumAttempts = max(1, maximumAttempts)
        self.claim = claim
    }

    /// The wait after the `attempt`-th transfer failed (1 for the first).
    public func delay(afterAttempt attempt: Int) -> Duration {
        var delay = base
        for _ in 1..<max(1, attempt) {
            delay = delay * 2
            if delay >= maximumDelay { return maximumDelay }
        }
        return min(delay, maximumDelay)
    }
}
