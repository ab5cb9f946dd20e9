-- Read model of the e-mail engagement projection (group email-engagement): every recorded open and click by
-- contact, for the contact's timeline (which reads the stored event through event_id) and later reports.
-- Keyed by the event's id (a projection does not learn an event's position; rewriting a row is harmless).
CREATE TABLE email_engagement (
    event_id     UUID         NOT NULL,
    contact_id   UUID         NOT NULL,
    -- OPEN or CLICK
    kind         VARCHAR(8)   NOT NULL,
    delivery_id  VARCHAR(200) NOT NULL,
    campaign_id  VARCHAR(64),
    flow_id      VARCHAR(64),
    flow_node_id VARCHAR(255),
    link         TEXT,
    link_index   INTEGER,
    occurred_at  TIMESTAMPTZ  NOT NULL,
    first        BOOLEAN      NOT NULL,
    machine      BOOLEAN      NOT NULL,
    machine_reason VARCHAR(64),
    CONSTRAINT email_engagement_pk PRIMARY KEY (event_id)
);
-- a contact's opens and clicks (timeline)
CREATE INDEX email_engagement_contact_idx ON email_engagement (contact_id, occurred_at);
-- a campaign's (reports)
CREATE INDEX email_engagement_campaign_idx ON email_engagement (campaign_id, kind, occurred_at) WHERE campaign_id IS NOT NULL;
