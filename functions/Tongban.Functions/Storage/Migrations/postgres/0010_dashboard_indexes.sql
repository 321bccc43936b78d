-- The dashboard (issue 11) reads applications by when they were received and decisions by when they were made, over
-- a period: each reads its range of an index instead of every row.
CREATE INDEX ix_applications_received ON applications (received_at);
CREATE INDEX ix_application_events_decisions ON application_events (at)
    WHERE type IN ('verification-failed', 'first-review-rejected', 'final-review-rejected', 'final-review-approved');
