-- The applicant's identity document kind (resident-id, hk-macao-permit, taiwan-permit, foreign-permanent-resident), as
-- intake read it from the number. Applications from before this version have none stored: the number says it.
ALTER TABLE applications ADD COLUMN document_kind TEXT;

-- How many parts carriers bill each SMS as (UCS-2: 70 units in one part, 67 a part when split).
ALTER TABLE notifications ADD COLUMN parts BIGINT;
