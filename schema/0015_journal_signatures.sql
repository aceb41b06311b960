-- 0015: signed checkpoints of the journal (issue #20 item 5, docs/audit.md "Signed checkpoints").
--
-- Why: the hash chain proves nothing against whoever can rewrite ledger.events and ledger.journal
-- together and recompute every hash. A checkpoint signed with an Ed25519 key kept outside the
-- database can: `ledger verify --public-key FILE` checks each stored signature and that the
-- recomputed chain still passes through each signed (ledger_seq, chain_hash), so an auditor who
-- holds only the public key can prove nothing before the latest signed checkpoint was rewritten.
-- The signed text is `ledger-checkpoint v1 <ledger_seq> <chain_hash>` (SignedCheckpoint.swift).
-- A new key is simply used from then on; each row names the key that signed it, so checkpoints
-- signed with an older key keep verifying with that key.

CREATE TABLE ledger.journal_signatures (
    ledger_seq  bigint      NOT NULL CHECK (ledger_seq >= 1),
    chain_hash  text        NOT NULL CHECK (chain_hash ~ '^[0-9a-f]{64}$'),
    public_key  text        NOT NULL,          -- base64 of the 32-byte Ed25519 public key
    signature   text        NOT NULL,          -- base64 of the 64-byte signature of the text above
    signed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (ledger_seq, public_key)
);

CREATE TRIGGER journal_signatures_refuse_update_delete BEFORE UPDATE OR DELETE ON ledger.journal_signatures
    FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER journal_signatures_refuse_truncate BEFORE TRUNCATE ON ledger.journal_signatures
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();

GRANT SELECT, INSERT ON ledger.journal_signatures TO ledger_projector;
GRANT SELECT ON ledger.journal_signatures TO ledger_writer, ledger_staff;
