-- 0013: the suspense account (issue #13): outside money the ledger recorded but could not put to a
-- fee, an order or a refund rule, one row per item, and how staff resolved it. (Numbered 0013 to
-- leave 0012 to the other work of issue #13.)

CREATE TABLE projections.unresolved_money (
    item_id                text        PRIMARY KEY,
    kind                   text        NOT NULL,          -- cardCapture | bankDeposit
    reason                 text        NOT NULL,          -- docs/commands.md, "Unresolved money"
    amount_yen             bigint      NOT NULL,
    trade_reg_no           text,
    settlement_no          text,
    order_no               text,
    account_no             text,                          -- bank-branch-number, e.g. 0310-502-6818564
    received_at            timestamptz NOT NULL,
    state                  text        NOT NULL,          -- open | resolved
    resolution             text,                          -- refund | applyToOrder | writeOff
    resolved_by            text,
    resolved_at            timestamptz,
    status_label           text        NOT NULL,          -- 未処理 | 処理済（返金） | 処理済（注文に充当） | 処理済（償却）
    received_on            date        NOT NULL,          -- the business day the money counts for
    deposit_id             text,
    gateway_transaction_id text,
    refund_id              text,
    resolution_reason      text,
    explanation            text        NOT NULL,
    position               bigint      NOT NULL
);

CREATE INDEX unresolved_money_open ON projections.unresolved_money (received_on) WHERE state = 'open';

-- A refund that a suspense item's resolution makes due may not know the company (a deposit into
-- an account no order had).
ALTER TABLE projections.refund ALTER COLUMN trade_reg_no DROP NOT NULL;

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON projections.unresolved_money TO ledger_projector;
GRANT SELECT ON projections.unresolved_money TO ledger_staff;
