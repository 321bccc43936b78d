-- City supervision (issue 11): reviewers on duty per office per day, set by the city's supervisor. Online applications
-- are spread over the city's offices in proportion to them (OfficeRouter); a day and office without a row count the
-- office's reviewers in the province file.
CREATE TABLE office_staffing (
    office_code  TEXT NOT NULL,
    day          TEXT NOT NULL,
    reviewers    INTEGER NOT NULL,
    set_by       TEXT NOT NULL,
    set_at       BIGINT NOT NULL,
    PRIMARY KEY (office_code, day)
);

-- A case the supervisor reassigned to a named reviewer: it shows in that reviewer's queue only, for as long as it stays
-- at the stage it was assigned in (assigned_reviewer_stage, a status code). The case history records every reassignment.
ALTER TABLE applications ADD COLUMN assigned_reviewer TEXT;
ALTER TABLE applications ADD COLUMN assigned_reviewer_stage TEXT;

-- The supervisor's list of applications that data changes re-opened (二次审核).
CREATE INDEX ix_application_events_rechecked ON application_events (application_id) WHERE type = 'rechecked';
