-- A death is reported by a relative (issue 10, item 6): who reported it, and where the family wants the funeral grant,
-- survivors' pension and unpaid benefit paid (given with the report or later: payee_given_at). Personal data
-- encrypted like the applicant's (个人信息保护法 art. 51).
-- Once a person has a row here, SMS go to the reporter's mobile, worded to the family, and nothing to the deceased.
CREATE TABLE death_reports (
    application_id        TEXT PRIMARY KEY REFERENCES applications (id),
    person_key            TEXT NOT NULL,
    died_on               TEXT NOT NULL,
    dependants            BIGINT NOT NULL,
    reporter_name_enc     TEXT NOT NULL,
    reporter_relationship TEXT NOT NULL,
    reporter_mobile_enc   TEXT NOT NULL,
    payee_name_enc        TEXT,
    payee_account_enc     TEXT,
    payee_given_at        BIGINT,
    reported_by           TEXT NOT NULL,
    reported_at           BIGINT NOT NULL
);
CREATE INDEX ix_death_reports_person ON death_reports (person_key);

-- Entitlements fixed before the statutory retirement age was applied (issue 10, item 5) are brought under it once, at
-- start-up (RetirementRule): cut at the month the age is reached, or continued to it (续发). Rows from now on are fixed
-- under the rule and start at 0.
ALTER TABLE applications ADD COLUMN retirement_rule_pending SMALLINT NOT NULL DEFAULT 0;
UPDATE applications SET retirement_rule_pending = 1 WHERE entitlement_months IS NOT NULL AND status IN ('approved', 'suspended');
