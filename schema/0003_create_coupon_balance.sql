-- 0003: projections.coupon_balance (DOMAIN.md §7.1): one row per trade registration number.
--
-- Why: the coupon balance is what users and reporting read most; it is folded from the company
-- stream's events by the coupon_balance projection.

CREATE TABLE projections.coupon_balance (
    trade_reg_no              text    PRIMARY KEY,
    company_name              text,
    membership                text,                       -- member | nonMember (latest change)
    allowed_methods           text[]  NOT NULL DEFAULT '{}',
    available                 integer NOT NULL DEFAULT 0 CHECK (available >= 0),
    pending_purchase          integer NOT NULL DEFAULT 0 CHECK (pending_purchase >= 0),
    open_order_no             text,
    open_order_buyer_user_id  text,
    open_order_method         text,
    position                  bigint  NOT NULL            -- last global position applied
);

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON projections.coupon_balance TO ledger_projector;
GRANT SELECT ON projections.coupon_balance TO ledger_reporting;
