-- Outreach (主动服务, issue 12 item 4; Gaoming found 13,000 eligible people in its data and told them by SMS, seed 000)
-- and SMS delivery reports (item 5).

-- A campaign: a month's (period 'YYYY-MM', from the timer; its id is derived from period and service item, so the
-- timer on two instances makes one) or an administrator's (period NULL). The finding step walks persons in key
-- order after cursor; status: finding → sending → completed.
CREATE TABLE outreach_campaigns (
    id            TEXT PRIMARY KEY,
    period        TEXT,
    service_item  TEXT NOT NULL,
    status        TEXT NOT NULL,
    cursor        TEXT,
    chunks        INTEGER NOT NULL DEFAULT 0,
    requested_by  TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    completed_at  INTEGER
);
CREATE INDEX ix_outreach_campaigns_created ON outreach_campaigns (created_at);

-- Everyone a campaign found: one row, and one SMS (notification_key), per person per campaign.
CREATE TABLE outreach_recipients (
    campaign_id       TEXT NOT NULL REFERENCES outreach_campaigns (id),
    person_key        TEXT NOT NULL,
    service_item      TEXT NOT NULL,
    notification_key  TEXT NOT NULL,
    found_at          INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, person_key)
);
CREATE INDEX ix_outreach_recipients_person ON outreach_recipients (person_key, service_item);

-- The campaign whose SMS last reached the applicant before the application (NULL: none).
ALTER TABLE applications ADD COLUMN outreach_campaign_id TEXT;
CREATE INDEX ix_applications_outreach ON applications (outreach_campaign_id) WHERE outreach_campaign_id IS NOT NULL;

-- Outreach SMS belong to no application: application_id becomes optional (SQLite cannot drop NOT NULL, so the table
-- is rebuilt), and a message names its campaign instead. The gateway's message id is what a delivery report quotes;
-- delivery_status is the latest report's (delivered, failed, …), delivery_reported_at its receivedTimestamp.
CREATE TABLE notifications_0012 (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id        TEXT REFERENCES applications(id),
    campaign_id           TEXT REFERENCES outreach_campaigns(id),
    dedupe_key            TEXT NOT NULL UNIQUE,
    template              TEXT NOT NULL,
    to_enc                TEXT NOT NULL,
    body                  TEXT NOT NULL,
    status                TEXT NOT NULL,
    created_at            INTEGER NOT NULL,
    sent_at               INTEGER,
    sending_until         INTEGER,
    parts                 INTEGER,
    gateway_message_id    TEXT,
    delivery_status       TEXT,
    delivery_detail       TEXT,
    delivery_reported_at  INTEGER
);
INSERT INTO notifications_0012 (id, application_id, dedupe_key, template, to_enc, body, status, created_at, sent_at, sending_until, parts)
SELECT id, application_id, dedupe_key, template, to_enc, body, status, created_at, sent_at, sending_until, parts FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_0012 RENAME TO notifications;
CREATE INDEX ix_notifications_application ON notifications (application_id);
CREATE INDEX ix_notifications_unsent ON notifications (created_at) WHERE status IN ('queued', 'sending');
CREATE INDEX ix_notifications_campaign ON notifications (campaign_id, id) WHERE campaign_id IS NOT NULL;
CREATE UNIQUE INDEX ux_notifications_gateway_message ON notifications (gateway_message_id) WHERE gateway_message_id IS NOT NULL;
-- Sent and not (yet) reported delivered: what the undelivered list reads.
CREATE INDEX ix_notifications_undelivered ON notifications (sent_at)
    WHERE status = 'sent' AND (delivery_status IS NULL OR delivery_status <> 'delivered');
