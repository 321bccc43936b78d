-- Times are Unix epoch milliseconds (UTC); months are 'YYYY-MM'; money is fen.
-- Encrypted columns (*_enc) hold AES-GCM ciphertext; *_key columns hold the keyed hash (blind index).

CREATE TABLE portals (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    key_hash    TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE staff (
    username       TEXT PRIMARY KEY,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL,
    office_code    TEXT,
    city_code      TEXT,
    created_at     INTEGER NOT NULL
);

CREATE TABLE staff_tokens (
    token_hash  TEXT PRIMARY KEY,
    username    TEXT NOT NULL REFERENCES staff(username),
    expires_at  INTEGER NOT NULL
);

CREATE TABLE persons (
    person_key        TEXT PRIMARY KEY,
    id_number_enc     TEXT NOT NULL,
    name_enc          TEXT NOT NULL,
    mobile_enc        TEXT,
    bank_account_enc  TEXT,
    contact_hash      TEXT NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE contribution_spells (
    person_key         TEXT NOT NULL REFERENCES persons(person_key),
    employer_code      TEXT NOT NULL,
    start_month        TEXT NOT NULL,
    end_month          TEXT,
    city_code          TEXT NOT NULL,
    employer_name      TEXT NOT NULL,
    separation_reason  TEXT,
    updated_at         INTEGER NOT NULL,
    PRIMARY KEY (person_key, employer_code, start_month)
);

CREATE TABLE applications (
    id                   TEXT PRIMARY KEY,
    case_number          TEXT NOT NULL UNIQUE,
    service_item         TEXT NOT NULL,
    channel              TEXT NOT NULL,
    status               TEXT NOT NULL,
    is_open              INTEGER NOT NULL,
    person_key           TEXT NOT NULL,
    id_number_enc        TEXT NOT NULL,
    name_enc             TEXT NOT NULL,
    mobile_enc           TEXT NOT NULL,
    details_json         TEXT,
    portal_id            TEXT NOT NULL,
    accepting_office     TEXT,
    insuring_city        TEXT,
    assigned_office      TEXT,
    first_reviewer       TEXT,
    findings_json        TEXT,
    contribution_months  INTEGER,
    carried_over_months  INTEGER,
    entitlement_months   INTEGER,
    monthly_fen          INTEGER,
    start_month          TEXT,
    end_month            TEXT,
    stopped_on           TEXT,
    received_at          INTEGER NOT NULL,
    due_at               INTEGER,
    updated_at           INTEGER NOT NULL,
    version              INTEGER NOT NULL
);
-- One open application per person and service item (不重不漏), also under concurrent submissions.
CREATE UNIQUE INDEX ux_applications_open ON applications (person_key, service_item) WHERE is_open = 1;
CREATE INDEX ix_applications_person ON applications (person_key);
CREATE INDEX ix_applications_queue ON applications (status, assigned_office, received_at);
CREATE INDEX ix_applications_city_queue ON applications (status, insuring_city, received_at);

CREATE TABLE application_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id  TEXT NOT NULL REFERENCES applications(id),
    seq             INTEGER NOT NULL,
    at              INTEGER NOT NULL,
    type            TEXT NOT NULL,
    actor           TEXT NOT NULL,
    office          TEXT,
    opinion         TEXT,
    data_json       TEXT,
    UNIQUE (application_id, seq)
);

CREATE TABLE idempotency_keys (
    portal_id       TEXT NOT NULL,
    key             TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    status_code     INTEGER NOT NULL,
    response_json   TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (portal_id, key)
);

CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id  TEXT NOT NULL REFERENCES applications(id),
    dedupe_key      TEXT NOT NULL UNIQUE,
    template        TEXT NOT NULL,
    to_enc          TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX ix_notifications_application ON notifications (application_id);

CREATE TABLE work_items (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    dedupe_key    TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL,
    due_at        INTEGER NOT NULL,
    attempts      INTEGER NOT NULL,
    max_attempts  INTEGER NOT NULL,
    lease_owner   TEXT,
    lease_until   INTEGER,
    last_error    TEXT,
    created_at    INTEGER NOT NULL,
    done_at       INTEGER
);
CREATE INDEX ix_work_items_due ON work_items (status, due_at);

CREATE TABLE personal_data_reveals (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    application_id  TEXT NOT NULL,
    reason          TEXT NOT NULL
);
