-- Payouts (issue 3): monthly runs, payments, bank files, the fund ledger, overpayments and their recovery.
-- Money in fen; months 'YYYY-MM'; times Unix epoch milliseconds.

-- One run per month (the unique period makes a second request return the first run).
CREATE TABLE payout_runs (
    id            TEXT PRIMARY KEY,
    period        TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL,
    cursor        TEXT,
    chunks        INTEGER NOT NULL,
    requested_by  TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    started_at    INTEGER,
    completed_at  INTEGER
);

-- What the run paid per city: the standard in force for the month and the medical-insurance contribution.
CREATE TABLE payout_run_cities (
    run_id       TEXT NOT NULL REFERENCES payout_runs(id),
    city_code    TEXT NOT NULL,
    benefit_fen  INTEGER NOT NULL,
    medical_fen  INTEGER NOT NULL,
    PRIMARY KEY (run_id, city_code)
);

-- The id is the bank reference and encodes (period, kind, attempt, application): the primary key is the
-- guard that a month is paid once per application; a reissue is a new attempt of a returned payment.
-- 'sent' is never stored: a scheduled payment is sent once its run's bank file for its city exists (payout_files),
-- so issuing a file of a million payments writes one row, not a million. held: kept out of the bank file (no card
-- account), returned and flagged for staff. paid_at: when the bank confirmed it.
-- No foreign key to applications: every row comes from an INSERT ... SELECT over applications, and the key
-- would cost the run one more index probe per payment.
CREATE TABLE payments (
    id              TEXT PRIMARY KEY,
    application_id  TEXT NOT NULL,
    city_code       TEXT NOT NULL,
    period          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    attempt         INTEGER NOT NULL,
    reissue_of      TEXT,
    amount_fen      INTEGER NOT NULL,
    medical_fen     INTEGER NOT NULL,
    deducted_fen    INTEGER NOT NULL,
    status          TEXT NOT NULL,
    run_id          TEXT,
    return_reason   TEXT,
    flagged         BOOLEAN NOT NULL,
    held            BOOLEAN NOT NULL,
    paid_at         INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX ix_payments_application ON payments (application_id, period);
CREATE INDEX ix_payments_run ON payments (run_id, city_code);
CREATE UNIQUE INDEX ux_payments_reissue ON payments (reissue_of) WHERE reissue_of IS NOT NULL;
CREATE INDEX ix_payments_flagged ON payments (flagged) WHERE flagged;
-- The few people without a card account, found without reading everyone's.
CREATE INDEX ix_persons_without_account ON persons (person_key) WHERE bank_account_enc IS NULL;

-- One bank payment file per run and city, written once to the archive.
CREATE TABLE payout_files (
    run_id      TEXT NOT NULL REFERENCES payout_runs(id),
    city_code   TEXT NOT NULL,
    path        TEXT NOT NULL UNIQUE,
    payments    INTEGER NOT NULL,
    amount_fen  INTEGER NOT NULL,
    held        INTEGER NOT NULL,
    archived    BOOLEAN NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (run_id, city_code)
);

-- An overpayment to recover (经办条例 art. 46), one per payment found overpaid; instalments when agreed with the person.
CREATE TABLE recovery_cases (
    id              TEXT PRIMARY KEY,
    application_id  TEXT NOT NULL REFERENCES applications(id),
    person_key      TEXT NOT NULL,
    city_code       TEXT NOT NULL,
    payment_id      TEXT NOT NULL UNIQUE REFERENCES payments(id),
    period          TEXT NOT NULL,
    amount_fen      INTEGER NOT NULL,
    recovered_fen   INTEGER NOT NULL,
    method          TEXT NOT NULL,
    instalments     INTEGER,
    instalment_fen  INTEGER,
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX ix_recovery_cases_person ON recovery_cases (person_key, status);
CREATE INDEX ix_recovery_cases_application ON recovery_cases (application_id);

-- Each amount recovered: a deduction from a later payment, a repayment, or the bank returning the money.
CREATE TABLE recoveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     TEXT NOT NULL REFERENCES recovery_cases(id),
    dedupe_key  TEXT NOT NULL UNIQUE,
    method      TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL,
    payment_id  TEXT,
    reference   TEXT,
    actor       TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX ix_recoveries_case ON recoveries (case_id);

-- Double-entry books per city fund. A transaction's id names its cause, so posting it again does nothing.
CREATE TABLE ledger_transactions (
    id           TEXT PRIMARY KEY,
    city_code    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    run_id       TEXT,
    description  TEXT NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX ix_ledger_transactions_city ON ledger_transactions (city_code, at);
CREATE INDEX ix_ledger_transactions_run ON ledger_transactions (run_id);

CREATE TABLE ledger_entries (
    transaction_id  TEXT NOT NULL REFERENCES ledger_transactions(id),
    line            INTEGER NOT NULL,
    city_code       TEXT NOT NULL,
    account         TEXT NOT NULL,
    debit_fen       INTEGER NOT NULL,
    credit_fen      INTEGER NOT NULL,
    PRIMARY KEY (transaction_id, line)
);
CREATE INDEX ix_ledger_entries_account ON ledger_entries (city_code, account);
