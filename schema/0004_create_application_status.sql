-- 0004: projections.application_status (DOMAIN.md §7.4, 発給申請状況一覧).
--
-- Why: users and reporting list applications with their payment state; the ledger state
-- (§5.1, lowerCamel) and the label users see are both kept.

CREATE TABLE projections.application_status (
    reception_no            text        PRIMARY KEY,
    trade_reg_no            text        NOT NULL,
    chamber_id              text        NOT NULL,
    state                   text        NOT NULL CHECK (state IN ('submitted', 'onHold', 'awaitingPayment', 'inCart',
                                                                  'paymentPending', 'issued', 'withdrawn')),
    status_label            text        NOT NULL,   -- 審査中, 保留, 承認, 交付済, 取下げ
    certificate_kind        text        NOT NULL,
    certificate_kind_label  text        NOT NULL,
    destination_country     text,
    invoice_number          text        NOT NULL,
    exporter_name           text,
    agent_name              text,
    person_in_charge        text,
    applicant_user_id       text        NOT NULL,
    applicant_name          text        NOT NULL,
    application_date        date        NOT NULL,
    applied_at              timestamptz NOT NULL,
    issuance_channel        text        NOT NULL,
    payment_method          text        NOT NULL,
    fee_yen                 bigint,
    approval_date           date,
    cart_user_id            text,
    open_settlement_no      text,
    settlement_no           text,
    settlement_date         date,
    certificate_number      text,
    issued_at               timestamptz,
    position                bigint      NOT NULL
);
CREATE INDEX application_status_company_idx ON projections.application_status (trade_reg_no, state);

GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON projections.application_status TO ledger_projector;
GRANT SELECT ON projections.application_status TO ledger_reporting;
