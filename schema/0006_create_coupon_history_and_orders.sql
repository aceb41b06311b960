-- 0006: projections.coupon_history (§7.2, クーポン履歴) and projections.coupon_order (§7.3).
--
-- Why: the coupon history is the company's own ledger view (one row per operation, with the
-- running balance); coupon_order is the order screen and the back office's order list.

CREATE TABLE projections.coupon_history (
    trade_reg_no         text        NOT NULL,
    entry_id             text        NOT NULL,    -- orderNo for purchases, else the event id
    occurred_at          timestamptz NOT NULL,
    operation            text        NOT NULL CHECK (operation IN ('購入(振込)', '購入(クレジット)', '会議所操作', '使用', '返却')),
    confirmed            boolean     NOT NULL,    -- 確定フラグ: 済 (true) or "-" (false)
    content              text,
    purchase_amount_yen  bigint,
    deposit_amount_yen   bigint,
    settled_amount_yen   bigint,
    purchased            integer,
    used                 integer,
    balance_after        integer,
    state                text,                    -- for purchases: the order's state (§5.3)
    position             bigint      NOT NULL,
    PRIMARY KEY (trade_reg_no, entry_id)
);
CREATE INDEX coupon_history_order_idx ON projections.coupon_history (entry_id);
CREATE INDEX coupon_history_time_idx ON projections.coupon_history (trade_reg_no, occurred_at DESC);

CREATE TABLE projections.coupon_order (
    order_no             text        PRIMARY KEY,
    trade_reg_no         text        NOT NULL,
    buyer_user_id        text        NOT NULL,
    buyer_name           text        NOT NULL,
    payment_method       text        NOT NULL,
    state                text        NOT NULL,
    amount_yen           bigint      NOT NULL,
    taxable_amount_yen   bigint      NOT NULL,
    consumption_tax_yen  bigint      NOT NULL,
    total_coupons        integer     NOT NULL,
    lines                jsonb       NOT NULL,
    order_date           date        NOT NULL,
    placed_at            timestamptz NOT NULL,
    email_opt_in         boolean     NOT NULL,
    email                text,
    settlement_no        text,
    bank_code            text,
    bank_name            text,
    branch_code          text,
    branch_name          text,
    account_type         text,
    account_number       text,
    account_holder       text,
    valid_until          date,
    last_checked_at      timestamptz,
    received_yen         bigint,
    scheduled_issue_date date,
    confirmation_date    date,
    settled_amount_yen   bigint,
    position             bigint      NOT NULL
);
CREATE INDEX coupon_order_company_idx ON projections.coupon_order (trade_reg_no, order_date DESC);

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON projections.coupon_history, projections.coupon_order TO ledger_projector;
GRANT SELECT ON projections.coupon_history, projections.coupon_order TO ledger_reporting, ledger_staff;
