-- 0008: the journal: a dense, gapless sequence over the events in subscription order, each with
-- the event's hash and a running SHA-256 chain, plus exported checkpoints.
--
-- Why: auditors must be able to prove, without trusting this program, that the history they read is
-- complete, unaltered and in order. The canonical bytes and the chain rule are in docs/audit.md and
-- Sources/EventStore/Journal/EventHash.swift.

CREATE TABLE ledger.journal (
    ledger_seq       bigint      PRIMARY KEY CHECK (ledger_seq >= 1),
    global_position  bigint      NOT NULL UNIQUE,
    transaction_id   xid8        NOT NULL,          -- the event's, so the sequencer's cursor survives
    event_hash       text        NOT NULL CHECK (event_hash ~ '^[0-9a-f]{64}$'),
    chain_hash       text        NOT NULL CHECK (chain_hash ~ '^[0-9a-f]{64}$'),
    journaled_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE ledger.journal_checkpoints (
    ledger_seq   bigint      PRIMARY KEY REFERENCES ledger.journal (ledger_seq),
    chain_hash   text        NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TRIGGER journal_refuse_update_delete BEFORE UPDATE OR DELETE ON ledger.journal
    FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER journal_refuse_truncate BEFORE TRUNCATE ON ledger.journal
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER journal_checkpoints_refuse_update_delete BEFORE UPDATE OR DELETE ON ledger.journal_checkpoints
    FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();

GRANT SELECT, INSERT ON ledger.journal, ledger.journal_checkpoints TO ledger_projector;
GRANT SELECT ON ledger.journal, ledger.journal_checkpoints TO ledger_writer, ledger_staff;
