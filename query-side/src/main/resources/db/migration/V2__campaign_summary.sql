-- Read model of the campaign-summary projection (rebuildable from the event store).
CREATE TABLE campaign_summary (
    id                  VARCHAR(64)  NOT NULL,
    name                VARCHAR(200) NOT NULL,
    channel             VARCHAR(16)  NOT NULL,
    content             JSONB        NOT NULL,
    segment_id          VARCHAR(64),
    throttle_per_second INTEGER,
    status              VARCHAR(16)  NOT NULL,
    send_at             TIMESTAMPTZ,
    time_zone           VARCHAR(64),
    created_at          TIMESTAMPTZ  NOT NULL,
    updated_at          TIMESTAMPTZ  NOT NULL,
    launched_at         TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    version             BIGINT       NOT NULL,
    CONSTRAINT campaign_summary_pk PRIMARY KEY (id)
);
CREATE INDEX campaign_summary_updated_idx ON campaign_summary (updated_at DESC, id);
CREATE INDEX campaign_summary_status_updated_idx ON campaign_summary (status, updated_at DESC, id);
