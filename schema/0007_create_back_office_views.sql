-- 0007: the back-office and audit views of DOMAIN.md §7.8: card attempts, refunds, and the
-- views the daemons and reconciliation read (open attempts, open bank orders, scheduled
-- issuance, refunds due, daily totals).

CREATE TABLE projections.payment_attempt (
    settlement_no        text        PRIMARY KEY,
    purpose              text        NOT NULL,          -- applicationFees | couponOrder
    payer_user_id        text        NOT NULL,
    trade_reg_no         text        NOT NULL,
    order_no             text,
    item_count           integer     NOT NULL,
    amount_yen           bigint      NOT NULL,
    product_label        text        NOT NULL,
    state                text        NOT NULL,          -- open | succeeded | failed | timedOut | abandoned
    started_at           timestamptz NOT NULL,
    deadline_at          timestamptz NOT NULL,
    captured_amount_yen  bigint,
    settlement_date      date,
    late                 boolean,
    error_code           text,
    position             bigint      NOT NULL
);

CREATE TABLE projections.refund (
    refund_id            text        PRIMARY KEY,
    reason               text        NOT NULL,
    basis_yen            bigint      NOT NULL,
    costs_deductible     boolean     NOT NULL,
    trade_reg_no         text        NOT NULL,
    refunding_chamber_id text        NOT NULL,
    stream_id            text        NOT NULL,          -- couponOrder-… or payment-…
    deposit_id           text,
    settlement_no        text,
    due_at               timestamptz NOT NULL,
    paid_yen             bigint,
    deducted_costs_yen   bigint,
    paid_on              date,
    method               text,
    position             bigint      NOT NULL
);

CREATE VIEW projections.open_payment_attempts AS
    SELECT settlement_no, purpose, payer_user_id, trade_reg_no, order_no, amount_yen, started_at, deadline_at
      FROM projections.payment_attempt WHERE state = 'open';

CREATE VIEW projections.open_bank_orders AS
    SELECT order_no, trade_reg_no, buyer_user_id, amount_yen, total_coupons, order_date, valid_until, last_checked_at,
           bank_code, branch_code, account_number
      FROM projections.coupon_order WHERE payment_method = 'bankTransfer' AND state = 'awaitingTransfer';

CREATE VIEW projections.scheduled_issuance AS
    SELECT order_no, trade_reg_no, total_coupons, scheduled_issue_date
      FROM projections.coupon_order WHERE state = 'depositConfirmed';

CREATE VIEW projections.refunds_due AS
    SELECT refund_id, reason, basis_yen, costs_deductible, trade_reg_no, refunding_chamber_id, stream_id, due_at
      FROM projections.refund WHERE paid_on IS NULL;

-- By JST date: card captures by purpose, deposits received, coupons issued, used, returned, adjusted.
CREATE VIEW projections.daily_totals AS
    WITH facts AS (
        SELECT settlement_date AS day,
               CASE WHEN purpose = 'applicationFees' THEN captured_amount_yen ELSE 0 END AS card_fees_yen,
               CASE WHEN purpose = 'couponOrder' THEN captured_amount_yen ELSE 0 END AS card_coupons_yen,
               0::bigint AS deposits_yen, 0 AS issued, 0 AS used, 0 AS returned, 0 AS adjusted
          FROM projections.payment_attempt WHERE state = 'succeeded'
        UNION ALL
        SELECT confirmation_date, 0, 0, CASE WHEN payment_method = 'bankTransfer' THEN received_yen ELSE 0 END,
               total_coupons, 0, 0, 0
          FROM projections.coupon_order WHERE state = 'fulfilled'
        UNION ALL
        SELECT (occurred_at AT TIME ZONE 'Asia/Tokyo')::date, 0, 0, 0, 0,
               CASE WHEN operation = '使用' THEN used ELSE 0 END,
               CASE WHEN operation = '返却' THEN purchased ELSE 0 END,
               CASE WHEN operation = '会議所操作' THEN coalesce(purchased, 0) - coalesce(used, 0) ELSE 0 END
          FROM projections.coupon_history WHERE operation IN ('使用', '返却', '会議所操作')
    )
    SELECT day, sum(card_fees_yen) AS card_fees_yen, sum(card_coupons_yen) AS card_coupons_yen,
           sum(deposits_yen) AS deposits_yen, sum(issued) AS coupons_issued, sum(used) AS coupons_used,
           sum(returned) AS coupons_returned, sum(adjusted) AS coupons_adjusted
      FROM facts GROUP BY day;

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON projections.payment_attempt, projections.refund TO ledger_projector;
GRANT SELECT ON projections.payment_attempt, projections.refund, projections.open_payment_attempts,
                projections.open_bank_orders, projections.scheduled_issuance, projections.refunds_due,
                projections.daily_totals TO ledger_staff;
