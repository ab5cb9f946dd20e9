-- E-mail engagement: per delivery, what the open and click handler needs to tell machines from people (the first
-- open, the previous click and its link, the links clicked so far) and to mark unique opens and clicks. The events
-- themselves are in the event store (EmailOpened, LinkClicked). delivery_id is <campaignId>:<contactId> for a
-- campaign's e-mail, <runId>:<nodeId> for a flow's. A row is made on a delivery's first open or click.
CREATE TABLE email_engagement_state (
    delivery_id     VARCHAR(200) NOT NULL,
    first_open_at   TIMESTAMPTZ,
    opens           BIGINT       NOT NULL DEFAULT 0,
    last_click_at   TIMESTAMPTZ,
    last_click_link INTEGER,
    clicks          BIGINT       NOT NULL DEFAULT 0,
    clicked_links   INTEGER[]    NOT NULL DEFAULT '{}',
    CONSTRAINT email_engagement_state_pk PRIMARY KEY (delivery_id)
);
