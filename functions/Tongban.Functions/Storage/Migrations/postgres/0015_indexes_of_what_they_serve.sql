-- Every index on applications is written by every new claim and by every status change (a status change is never a
-- HOT update: status is indexed). Three of them serve only some claims, yet held all: the review queues and office
-- workloads read cases waiting for first or final review only, and a payout run reads entitlements only. Each now
-- holds just those claims, so intake writes 6 of the table's indexes instead of 9, and the queues stay the size of
-- the work waiting rather than growing with every claim ever decided.
DROP INDEX ix_applications_queue;
CREATE INDEX ix_applications_queue ON applications (status, assigned_office, received_at)
    WHERE status IN ('first-review', 'final-review');
DROP INDEX ix_applications_city_queue;
CREATE INDEX ix_applications_city_queue ON applications (status, insuring_city, received_at)
    WHERE status IN ('first-review', 'final-review');
-- A claim has a start month once its entitlement is fixed (final review), and the payable rule compares it, so the
-- payout run's chunk still reads this index alone (migration 0013).
DROP INDEX ix_applications_payable;
CREATE INDEX ix_applications_payable ON applications (id) INCLUDE (service_item, status, start_month, end_month, stopped_on, suspended_from, insuring_city)
    WHERE start_month IS NOT NULL;
