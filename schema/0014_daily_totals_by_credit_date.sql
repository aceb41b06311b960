-- 0014: daily_totals counts every yen received, on the day it counts for, by chamber (issue #13).
--
-- Why: 0007's view dated deposits by the coupons' confirmation date instead of the day the bank
-- credited them, counted only deposits of fulfilled orders (an underpayment, a deposit after
-- close, a deposit into an account no order had were missing) and left out duplicate captures.
-- Its columns stay (renamed none); it gains chamber_id and the unmatched money. The money comes
-- from projections.money_received (one row per capture or deposit); the chamber from the
-- company (coupon_balance.chamber_id, new here), through the order of the account a deposit went
-- into, or the order a suspense item was applied to. Money nobody can place has chamber_id NULL.

ALTER TABLE projections.coupon_balance ADD COLUMN chamber_id text;
UPDATE projections.coupon_balance b
   SET chamber_id = (SELECT e.data ->> 'chamberId' FROM ledger.events e
                      WHERE e.stream_id = 'company-' || b.trade_reg_no AND e.event_type = 'CompanyProfileRecorded'
                      ORDER BY e.global_position DESC LIMIT 1);

CREATE TABLE projections.money_received (
    item_key       text        PRIMARY KEY,     -- capture <settlementNo> <gatewayTransactionId> | deposit <depositId>
    kind           text        NOT NULL,        -- cardCapture | bankDeposit
    source         text        NOT NULL,        -- captured | duplicateCapture | unresolvedCapture | deposit
    received_on    date        NOT NULL,        -- credit date, settlement date, or the JST date reported
    amount_yen     bigint      NOT NULL,
    settlement_no  text,
    trade_reg_no   text,
    deposit_id     text,
    bank_code      text,
    branch_code    text,
    account_number text,
    unresolved     boolean,                     -- a deposit held in the suspense account
    position       bigint      NOT NULL
);

DROP VIEW projections.daily_totals;

CREATE VIEW projections.daily_totals AS
    WITH money AS (
        SELECT m.received_on AS day,
               coalesce(m.trade_reg_no, o.trade_reg_no, applied.trade_reg_no) AS trade_reg_no,
               m.kind, m.source, p.purpose, coalesce(m.unresolved, false) AS unresolved, m.amount_yen
          FROM projections.money_received m
          LEFT JOIN projections.payment_attempt p ON p.settlement_no = m.settlement_no
          LEFT JOIN projections.coupon_order o
                 ON m.kind = 'bankDeposit' AND NOT coalesce(m.unresolved, false) AND o.bank_code = m.bank_code
                AND o.branch_code = m.branch_code AND o.account_number = m.account_number
          LEFT JOIN projections.unresolved_money u ON m.kind = 'bankDeposit' AND u.deposit_id = m.deposit_id
          LEFT JOIN projections.coupon_order applied ON applied.order_no = u.order_no AND u.resolution = 'applyToOrder'
    ), facts AS (
        SELECT day, trade_reg_no,
               CASE WHEN kind = 'cardCapture' AND source = 'captured' AND purpose = 'applicationFees'
                    THEN amount_yen ELSE 0 END AS card_fees_yen,
               CASE WHEN kind = 'cardCapture' AND source = 'captured' AND purpose = 'couponOrder'
                    THEN amount_yen ELSE 0 END AS card_coupons_yen,
               CASE WHEN kind = 'cardCapture' AND source <> 'captured' THEN amount_yen ELSE 0 END AS card_unmatched_yen,
               CASE WHEN kind = 'cardCapture' THEN amount_yen ELSE 0 END AS card_captured_yen,
               CASE WHEN kind = 'bankDeposit' THEN amount_yen ELSE 0 END AS deposits_yen,
               CASE WHEN kind = 'bankDeposit' AND unresolved THEN amount_yen ELSE 0 END AS deposits_unmatched_yen,
               0 AS issued, 0 AS used, 0 AS returned, 0 AS adjusted
          FROM money
        UNION ALL
        SELECT confirmation_date, trade_reg_no, 0, 0, 0, 0, 0, 0, total_coupons, 0, 0, 0
          FROM projections.coupon_order WHERE state = 'fulfilled'
        UNION ALL
        SELECT (occurred_at AT TIME ZONE 'Asia/Tokyo')::date, trade_reg_no, 0, 0, 0, 0, 0, 0, 0,
               CASE WHEN operation = '使用' THEN used ELSE 0 END,
               CASE WHEN operation = '返却' THEN purchased ELSE 0 END,
               CASE WHEN operation = '会議所操作' THEN coalesce(purchased, 0) - coalesce(used, 0) ELSE 0 END
          FROM projections.coupon_history WHERE operation IN ('使用', '返却', '会議所操作')
    )
    SELECT f.day, c.chamber_id, sum(card_fees_yen) AS card_fees_yen, sum(card_coupons_yen) AS card_coupons_yen,
           sum(deposits_yen) AS deposits_yen, sum(issued) AS coupons_issued, sum(used) AS coupons_used,
           sum(returned) AS coupons_returned, sum(adjusted) AS coupons_adjusted,
           sum(card_unmatched_yen) AS card_unmatched_yen, sum(card_captured_yen) AS card_captured_yen,
           sum(deposits_unmatched_yen) AS deposits_unmatched_yen
      FROM facts f LEFT JOIN projections.coupon_balance c ON c.trade_reg_no = f.trade_reg_no
     GROUP BY f.day, c.chamber_id;

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON projections.money_received TO ledger_projector;
GRANT SELECT ON projections.money_received, projections.daily_totals TO ledger_staff;
