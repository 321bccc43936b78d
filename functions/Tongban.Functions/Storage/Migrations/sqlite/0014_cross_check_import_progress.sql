-- A comparison result is imported in commits of a bounded size (issue 12): the single SQLite writer is never held for a
-- whole file, and a run records how far it got. status: importing (lines being read and matched; the counts are those
-- committed so far) → completed (completed_at set, the counts final). A run the process died in stays 'importing' with
-- the counts of what it committed; importing the same file again completes its work (a match it stored is not stored,
-- suspended or texted again: the matches' unique key). Runs stored before this migration completed.
ALTER TABLE cross_check_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'completed';
ALTER TABLE cross_check_runs ADD COLUMN completed_at INTEGER;

-- The name the comparison file gives (encrypted), and whether it differs from the recipient's: evidence for the person who
-- decides, never a reason to refuse a line (the identity number decides who it is). NULL and 0 for in-province matches.
ALTER TABLE cross_check_matches ADD COLUMN reported_name_enc TEXT;
ALTER TABLE cross_check_matches ADD COLUMN name_differs INTEGER NOT NULL DEFAULT 0;

-- The lines being matched are staged in a temporary table of the importing connection (private to it, gone with it, no
-- writer lock): this shared table is no longer used.
DROP TABLE cross_check_lines;

-- An import first reads every recipient claim's blind index and paid months: this index holds exactly those claims and
-- columns (the filter's too, which SQLite checks again), so a million recipients are read without reading their rows.
CREATE INDEX ix_applications_recipients ON applications (person_key, start_month, end_month, insuring_city, id, status, service_item,
                                                         entitlement_months)
    WHERE status IN ('approved', 'suspended') AND service_item = 'unemployment-benefit' AND entitlement_months IS NOT NULL;
