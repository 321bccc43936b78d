-- Cross-province and in-province checks (issue 12). Times are Unix epoch milliseconds; months 'YYYY-MM'; dates 'YYYY-MM-DD'.

-- A suspended claim is held from this month on (the earliest first overlapping month of its open matches): runs pay the
-- months before it and none from it; NULL when the claim is not suspended.
ALTER TABLE applications ADD COLUMN suspended_from TEXT;

-- One import of a comparison result (or one registry import's in-province matches), with its counts.
CREATE TABLE cross_check_runs (
    id           TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    imported_by  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    lines        BIGINT NOT NULL DEFAULT 0,
    matched      BIGINT NOT NULL DEFAULT 0,
    suspended    BIGINT NOT NULL DEFAULT 0,
    no_overlap   BIGINT NOT NULL DEFAULT 0,
    rejected     BIGINT NOT NULL DEFAULT 0
);

-- The lines of an import being matched: staged set-based, matched set-based, deleted when the import commits. person_key
-- is the identity number's blind index (the keyed hash the applications carry); the number itself is never stored here.
-- Unlogged and without a key: COPY fills it fast;
-- a duplicate line is found set-based after and reported.
CREATE UNLOGGED TABLE cross_check_lines (
    run_id      TEXT NOT NULL,
    line        BIGINT NOT NULL,
    person_key  TEXT NOT NULL,
    province    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    since       TEXT NOT NULL,
    until       TEXT
);
CREATE INDEX ix_cross_check_lines_run ON cross_check_lines (run_id);

-- A match: a claim whose paid months overlap a period elsewhere. status: open → escalated (past its deadline, for the
-- city supervisor) → decided (decision confirm | dismiss). One per claim, province, kind and start date, so the same
-- file twice, or a spell imported twice, changes nothing.
CREATE TABLE cross_check_matches (
    id              TEXT PRIMARY KEY,
    application_id  TEXT NOT NULL REFERENCES applications(id),
    insuring_city   TEXT NOT NULL,
    run_id          TEXT NOT NULL,
    source          TEXT NOT NULL,
    province        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    since           TEXT NOT NULL,
    until           TEXT,
    overlap_from    TEXT NOT NULL,
    overlap_to      TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    deadline_at     BIGINT NOT NULL,
    contest_until   BIGINT NOT NULL,
    escalated_at    BIGINT,
    decision        TEXT,
    opinion         TEXT,
    stop_date       TEXT,
    decided_by      TEXT,
    decided_at      BIGINT,
    UNIQUE (application_id, province, kind, since)
);
CREATE INDEX ix_cross_check_matches_city ON cross_check_matches (insuring_city, status);
CREATE INDEX ix_cross_check_matches_run ON cross_check_matches (run_id);

-- What the recipient said against a match, taken down at any office (also in the case history).
CREATE TABLE cross_check_contests (
    match_id   TEXT NOT NULL REFERENCES cross_check_matches(id),
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    office     TEXT,
    statement  TEXT NOT NULL
);
CREATE INDEX ix_cross_check_contests_match ON cross_check_contests (match_id);
