-- 0012: the outbox remembers each mail's transfers: how many were tried, when the next may be,
-- the last error, and when it was given up (a permanent refusal, or too many attempts). A mail is
-- sent only when sent_at is set, which the notifier does only after the mail system took it.

ALTER TABLE projections.notification_outbox
    ADD COLUMN attempts        integer     NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN last_error      text,
    ADD COLUMN failed_at       timestamptz;

DROP INDEX projections.notification_outbox_unsent_idx;
CREATE INDEX notification_outbox_due_idx ON projections.notification_outbox (coalesce(next_attempt_at, due_at))
    WHERE sent_at IS NULL AND failed_at IS NULL;
