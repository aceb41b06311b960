-- 0005: projections.credit_statement (DOMAIN.md §7.6): one row per statement, readable by
-- reporting users only for their own user id (R27), by chamber staff in full.
--
-- Why row-level security: the rule "only the user ID that paid may see a statement" must hold for
-- any reporting SQL, not only for the API. Reporting sessions set `ledger.user_id`.

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ledger_staff') THEN
        BEGIN
            CREATE ROLE ledger_staff NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$roles$;

CREATE TABLE projections.credit_statement (
    issue_number            text    PRIMARY KEY,
    payer_user_id           text    NOT NULL,
    trade_reg_no            text    NOT NULL,
    kind                    text    NOT NULL CHECK (kind IN ('applicationFee', 'couponPurchase')),
    content                 text    NOT NULL,     -- certificate kind label, or クーポン購入
    reception_no            text,
    order_no                text,
    settlement_no           text    NOT NULL,
    settlement_date         date    NOT NULL,
    settlement_month        text    NOT NULL,     -- YYYY-MM of settlement_date: the list's filter (R26)
    issue_date              date    NOT NULL,
    company_name            text    NOT NULL,
    certificate_number      text,
    invoice_number          text,
    amount_yen              bigint  NOT NULL,
    taxable_amount_yen      bigint  NOT NULL,
    consumption_tax_yen     bigint  NOT NULL,
    position                bigint  NOT NULL,
    CONSTRAINT credit_statement_tax_split CHECK (taxable_amount_yen + consumption_tax_yen = amount_yen)
);
CREATE INDEX credit_statement_payer_month_idx ON projections.credit_statement (payer_user_id, settlement_month);

ALTER TABLE projections.credit_statement ENABLE ROW LEVEL SECURITY;
CREATE POLICY credit_statement_own_rows ON projections.credit_statement FOR SELECT TO ledger_reporting
    USING (payer_user_id = current_setting('ledger.user_id', true));
CREATE POLICY credit_statement_staff ON projections.credit_statement FOR SELECT TO ledger_staff USING (true);
CREATE POLICY credit_statement_projector ON projections.credit_statement TO ledger_projector
    USING (true) WITH CHECK (true);

GRANT USAGE ON SCHEMA projections TO ledger_staff;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON projections.credit_statement TO ledger_projector;
GRANT SELECT ON projections.credit_statement TO ledger_reporting, ledger_staff;
GRANT SELECT ON projections.coupon_balance, projections.application_status TO ledger_staff;
