-- Supplementary runs (补发, issue 9): a month has its monthly run and, once that has completed, supplementary runs
-- (sequence 1, 2, …) that pay what became due since: new approvals' months, reissues, death benefits, payments staff
-- released. The unique key moves from the month to (period, kind, sequence); a payment's id still names its month,
-- kind and attempt, so a month is paid once whichever run pays it.
-- Totals are kept on each bank file as it is issued and on the run when it completes, so listing runs reads a few rows
-- instead of summing a million payments per run.
-- SQLite cannot drop a column's UNIQUE: the table is rebuilt (foreign keys are not enforced on these connections, and
-- the references to payout_runs name the table, which the rename gives back).
CREATE TABLE payout_runs_v6 (
    id            TEXT PRIMARY KEY,
    period        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    sequence      INTEGER NOT NULL,
    status        TEXT NOT NULL,
    cursor        TEXT,
    chunks        INTEGER NOT NULL,
    requested_by  TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    started_at    INTEGER,
    completed_at  INTEGER,
    payments      INTEGER,
    total_fen     INTEGER,
    benefit_fen   INTEGER,
    medical_fen   INTEGER,
    death_fen     INTEGER,
    reissued_fen  INTEGER,
    deducted_fen  INTEGER,
    UNIQUE (period, kind, sequence)
);
INSERT INTO payout_runs_v6 (id, period, kind, sequence, status, cursor, chunks, requested_by, created_at, started_at, completed_at)
SELECT id, period, 'monthly', 0, status, cursor, chunks, requested_by, created_at, started_at, completed_at FROM payout_runs;
DROP TABLE payout_runs;
ALTER TABLE payout_runs_v6 RENAME TO payout_runs;

-- Each bank file's part of its run's totals, as issuing computed them (fen); held: payments kept out for want of a card account.
ALTER TABLE payout_files ADD COLUMN benefit_fen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payout_files ADD COLUMN medical_fen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payout_files ADD COLUMN death_fen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payout_files ADD COLUMN reissued_fen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payout_files ADD COLUMN deducted_fen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payout_files ADD COLUMN held_fen INTEGER NOT NULL DEFAULT 0;
UPDATE payout_files SET
    benefit_fen = COALESCE((SELECT SUM(CASE WHEN kind = 'benefit' AND attempt = 1 THEN amount_fen ELSE 0 END) FROM payments p
                            WHERE p.run_id = payout_files.run_id AND p.city_code = payout_files.city_code AND p.status <> 'cancelled'), 0),
    medical_fen = COALESCE((SELECT SUM(medical_fen) FROM payments p
                            WHERE p.run_id = payout_files.run_id AND p.city_code = payout_files.city_code AND p.status <> 'cancelled'), 0),
    death_fen = COALESCE((SELECT SUM(CASE WHEN kind <> 'benefit' AND attempt = 1 THEN amount_fen ELSE 0 END) FROM payments p
                          WHERE p.run_id = payout_files.run_id AND p.city_code = payout_files.city_code AND p.status <> 'cancelled'), 0),
    reissued_fen = COALESCE((SELECT SUM(CASE WHEN attempt > 1 THEN amount_fen - deducted_fen ELSE 0 END) FROM payments p
                             WHERE p.run_id = payout_files.run_id AND p.city_code = payout_files.city_code AND p.status <> 'cancelled'), 0),
    deducted_fen = COALESCE((SELECT SUM(CASE WHEN attempt = 1 THEN deducted_fen ELSE 0 END) FROM payments p
                             WHERE p.run_id = payout_files.run_id AND p.city_code = payout_files.city_code AND p.status <> 'cancelled'), 0),
    held_fen = COALESCE((SELECT SUM(CASE WHEN held THEN amount_fen - deducted_fen ELSE 0 END) FROM payments p
                         WHERE p.run_id = payout_files.run_id AND p.city_code = payout_files.city_code AND p.status <> 'cancelled'), 0);
UPDATE payout_runs SET
    payments = (SELECT COALESCE(SUM(payments + held), 0) FROM payout_files f WHERE f.run_id = payout_runs.id),
    total_fen = (SELECT COALESCE(SUM(amount_fen + held_fen), 0) FROM payout_files f WHERE f.run_id = payout_runs.id),
    benefit_fen = (SELECT COALESCE(SUM(benefit_fen), 0) FROM payout_files f WHERE f.run_id = payout_runs.id),
    medical_fen = (SELECT COALESCE(SUM(medical_fen), 0) FROM payout_files f WHERE f.run_id = payout_runs.id),
    death_fen = (SELECT COALESCE(SUM(death_fen), 0) FROM payout_files f WHERE f.run_id = payout_runs.id),
    reissued_fen = (SELECT COALESCE(SUM(reissued_fen), 0) FROM payout_files f WHERE f.run_id = payout_runs.id),
    deducted_fen = (SELECT COALESCE(SUM(deducted_fen), 0) FROM payout_files f WHERE f.run_id = payout_runs.id)
WHERE status = 'completed';

-- Outstanding payments (no run has taken them yet: what a supplementary run pays), found without reading the rest.
CREATE INDEX ix_payments_outstanding ON payments (period) WHERE run_id IS NULL AND status = 'scheduled';
