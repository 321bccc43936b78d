-- Durable orchestrations drive claims (one per application); the database stays the system of record and says which
-- claims need one (WorkflowReconciler): a review stage, a recheck asked for, or a closed case not yet archived.

ALTER TABLE applications ADD COLUMN recheck_requested_at BIGINT;
ALTER TABLE applications ADD COLUMN archived_at BIGINT;
-- Cases closed before this version were archived by the work queue.
UPDATE applications SET archived_at = updated_at WHERE is_open = 0;
-- Rechecks the work queue still held become requests the reconciler serves.
UPDATE applications SET recheck_requested_at = updated_at
WHERE id IN (SELECT payload FROM work_items WHERE kind = 'recheck-application' AND status = 'pending');

CREATE INDEX ix_applications_driven ON applications (id) WHERE status IN ('verifying', 'first-review', 'final-review');
CREATE INDEX ix_applications_recheck ON applications (id) WHERE recheck_requested_at IS NOT NULL;
CREATE INDEX ix_applications_unarchived ON applications (id) WHERE is_open = 0 AND archived_at IS NULL;

-- The SMS outbox is delivered by activities and a sweep: a message being sent is claimed until sending_until.
ALTER TABLE notifications ADD COLUMN sending_until BIGINT;
CREATE INDEX ix_notifications_unsent ON notifications (created_at) WHERE status IN ('queued', 'sending');

-- Only payout runs still use work items; the claim, SMS, archive, deadline and export kinds are Durable's now.
DELETE FROM work_items WHERE kind <> 'payout-run';
