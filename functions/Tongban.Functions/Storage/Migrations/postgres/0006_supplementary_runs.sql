-- Supplementary runs (补发, issue 9): a month has its monthly run and, once that has completed, supplementary runs
-- (sequence 1, 2, …) that pay what became due since: new approvals' months, reissues, death benefits, payments staff
-- released. The unique key moves from the month to (period, kind, sequence); a payment's id still names its month,
-- kind and attempt, so a month is paid once whichever run pays it.
-- Totals are kept on each bank file as it is issued and on the run when it completes, so listing runs reads a few rows
-- instead of summing a million payments per run.
ALTER TABLE payout_runs DROP CONSTRAINT payout_runs_period_key;
ALTER TABLE payout_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'monthly';
ALTER TABLE payout_runs ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payout_runs ALTER COLUMN kind DROP DEFAULT;
ALTER TABLE payout_runs ALTER COLUMN sequence DROP DEFAULT;
ALTER TABLE payout_runs ADD CONSTRAINT ux_payout_runs_period_kind_sequence UNIQUE (period, kind, sequence);
ALTER TABLE payout_runs ADD COLUMN payments BIGINT, ADD COLUMN total_fen BIGINT, ADD COLUMN benefit_fen BIGINT,
    ADD COLUMN medical_fen BIGINT, ADD COLUMN death_fen BIGINT, ADD COLUMN reissued_fen BIGINT, ADD COLUMN deducted_fen BIGINT;

-- Each bank file's part of its run's totals, as issuing computed them (fen); held: payments kept out for want of a card account.
ALTER TABLE payout_files ADD COLUMN benefit_fen BIGINT NOT NULL DEFAULT 0, ADD COLUMN medical_fen BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN death_fen BIGINT NOT NULL DEFAULT 0, ADD COLUMN reissued_fen BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN deducted_fen BIGINT NOT NULL DEFAULT 0, ADD COLUMN held_fen BIGINT NOT NULL DEFAULT 0;
UPDATE payout_files f SET benefit_fen = s.benefit_fen, medical_fen = s.medical_fen, death_fen = s.death_fen,
    reissued_fen = s.reissued_fen, deducted_fen = s.deducted_fen, held_fen = s.held_fen
FROM (SELECT run_id, city_code,
             SUM(CASE WHEN kind = 'benefit' AND attempt = 1 THEN amount_fen ELSE 0 END) AS benefit_fen,
             SUM(medical_fen) AS medical_fen,
             SUM(CASE WHEN kind <> 'benefit' AND attempt = 1 THEN amount_fen ELSE 0 END) AS death_fen,
             SUM(CASE WHEN attempt > 1 THEN amount_fen - deducted_fen ELSE 0 END) AS reissued_fen,
             SUM(CASE WHEN attempt = 1 THEN deducted_fen ELSE 0 END) AS deducted_fen,
             SUM(CASE WHEN held THEN amount_fen - deducted_fen ELSE 0 END) AS held_fen
      FROM payments WHERE run_id IS NOT NULL AND status <> 'cancelled' GROUP BY run_id, city_code) s
WHERE s.run_id = f.run_id AND s.city_code = f.city_code;
UPDATE payout_runs r SET payments = s.payments, total_fen = s.total_fen, benefit_fen = s.benefit_fen, medical_fen = s.medical_fen,
    death_fen = s.death_fen, reissued_fen = s.reissued_fen, deducted_fen = s.deducted_fen
FROM (SELECT r2.id, COALESCE(SUM(f.payments + f.held), 0) AS payments, COALESCE(SUM(f.amount_fen + f.held_fen), 0) AS total_fen,
             COALESCE(SUM(f.benefit_fen), 0) AS benefit_fen, COALESCE(SUM(f.medical_fen), 0) AS medical_fen,
             COALESCE(SUM(f.death_fen), 0) AS death_fen, COALESCE(SUM(f.reissued_fen), 0) AS reissued_fen,
             COALESCE(SUM(f.deducted_fen), 0) AS deducted_fen
      FROM payout_runs r2 LEFT JOIN payout_files f ON f.run_id = r2.id GROUP BY r2.id) s
WHERE s.id = r.id AND r.status = 'completed';

-- Outstanding payments (no run has taken them yet: what a supplementary run pays), found without reading the rest.
CREATE INDEX ix_payments_outstanding ON payments (period) WHERE run_id IS NULL AND status = 'scheduled';
