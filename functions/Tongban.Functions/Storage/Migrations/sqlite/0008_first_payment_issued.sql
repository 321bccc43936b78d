-- The claim's orchestration runs through its first payment (issue 9, item 1): it waits after approval until a payment
-- of the claim is in a bank file that is in the archive. first_issued_at (ms) records when that happened; the run's
-- issue step sets it, once, for the claims whose first payment the file holds, and tells their orchestrations.
-- Entitled claims still waiting for it have an index of their own, so the issue step and the reconciler find the few
-- of them without reading the claims already paid.
ALTER TABLE applications ADD COLUMN first_issued_at INTEGER;
UPDATE applications SET first_issued_at = (
    SELECT MIN(f.created_at) FROM payments p JOIN payout_files f ON f.run_id = p.run_id AND f.city_code = p.city_code
    WHERE p.application_id = applications.id AND f.archived AND p.status <> 'cancelled' AND NOT p.held AND p.amount_fen > p.deducted_fen)
WHERE entitlement_months IS NOT NULL;
CREATE INDEX ix_applications_awaiting_payment ON applications (id) WHERE entitlement_months IS NOT NULL AND first_issued_at IS NULL;
