-- 0009: the notifier's outbox: e-mails due (transfer details after a bank order, coupons issued),
-- each with its address and the event that caused it, exactly once (DOMAIN.md R42, R57, Q28).
--
-- Why a table: sending is not a ledger fact; the outbox records what is due and when it was sent,
-- keyed by the causing event, so a re-run never sends twice.

CREATE TABLE projections.notifier_order (
    order_no      text PRIMARY KEY,
    trade_reg_no  text NOT NULL,
    buyer_name    text NOT NULL,
    email         text NOT NULL,
    position      bigint NOT NULL
);

CREATE TABLE projections.notification_outbox (
    event_id      text        PRIMARY KEY,         -- the event that made the e-mail due
    kind          text        NOT NULL CHECK (kind IN ('transferDetails', 'couponsIssued')),
    order_no      text        NOT NULL,
    trade_reg_no  text        NOT NULL,
    email         text        NOT NULL,
    subject       text        NOT NULL,
    body          text        NOT NULL,
    due_at        timestamptz NOT NULL,
    sent_at       timestamptz,
    position      bigint      NOT NULL
);
CREATE INDEX notification_outbox_unsent_idx ON projections.notification_outbox (due_at) WHERE sent_at IS NULL;

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON projections.notifier_order, projections.notification_outbox
    TO ledger_projector;
GRANT SELECT ON projections.notification_outbox TO ledger_staff;
