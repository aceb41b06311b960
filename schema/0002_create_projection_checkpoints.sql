-- 0002: projection checkpoints and the projections schema.
--
-- Why: each projection's cursor moves in the same transaction as its tables (exactly-once), by
-- compare-and-set on the old cursor; a failing projection records where and why it stopped.

CREATE SCHEMA IF NOT EXISTS projections;

CREATE TABLE ledger.projection_checkpoints (
    projection          text        PRIMARY KEY,
    transaction_id      xid8        NOT NULL DEFAULT '0',
    global_position     bigint      NOT NULL DEFAULT 0,
    events_applied      bigint      NOT NULL DEFAULT 0,
    last_recorded_at    timestamptz,                     -- recorded_at of the last event applied
    updated_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    failing             boolean     NOT NULL DEFAULT false,
    error_message       text,
    error_position      bigint,                          -- the global position of the failing event
    error_at            timestamptz,
    attempts            integer     NOT NULL DEFAULT 0
);

GRANT USAGE ON SCHEMA projections TO ledger_projector, ledger_reporting;
GRANT SELECT, INSERT, UPDATE ON ledger.projection_checkpoints TO ledger_projector;
GRANT SELECT ON ledger.projection_checkpoints TO ledger_reporting;
