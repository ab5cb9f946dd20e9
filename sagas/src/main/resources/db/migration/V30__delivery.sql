-- Delivery: the per-recipient state of campaign sends (owned by the sagas module's delivery workers).

-- One row per launched campaign: the state of its send and its counters, updated in the same
-- transaction as the delivery rows they count.
CREATE TABLE campaign_run (
    campaign_id        VARCHAR(64)  NOT NULL,
    -- FREEZING (writing down the audience), SENDING, PAUSED, CANCELLING, DONE
    state              VARCHAR(16)  NOT NULL,
    paused             BOOLEAN      NOT NULL DEFAULT FALSE,
    channel            VARCHAR(16),
    segment_id         VARCHAR(64),
    segment_version    BIGINT,
    -- the freeze's keyset position (the last contact id written down)
    freeze_cursor      UUID,
    frozen             BOOLEAN      NOT NULL DEFAULT FALSE,
    -- the campaign aggregate has recorded the audience (CampaignAudienceFrozenEvent)
    audience_recorded  BOOLEAN      NOT NULL DEFAULT FALSE,
    audience           BIGINT       NOT NULL DEFAULT 0,
    sent               BIGINT       NOT NULL DEFAULT 0,
    failed             BIGINT       NOT NULL DEFAULT 0,
    skipped            BIGINT       NOT NULL DEFAULT 0,
    unknown            BIGINT       NOT NULL DEFAULT 0,
    -- skipped when the audience was frozen (no consent or address), as opposed to at send time
    skipped_at_freeze  BIGINT       NOT NULL DEFAULT 0,
    -- the send rate, measured over windows of a few seconds
    window_started_at  TIMESTAMPTZ,
    window_count       BIGINT       NOT NULL DEFAULT 0,
    rate_per_second    DOUBLE PRECISION NOT NULL DEFAULT 0,
    correlation_id     VARCHAR(255),
    launched_at        TIMESTAMPTZ  NOT NULL,
    frozen_at          TIMESTAMPTZ,
    finished_at        TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ  NOT NULL,
    CONSTRAINT campaign_run_pk PRIMARY KEY (campaign_id)
);
CREATE INDEX campaign_run_active_idx ON campaign_run (state) WHERE state <> 'DONE';

-- One row per recipient of a campaign: the frozen audience and each recipient's delivery record.
CREATE TABLE delivery (
    campaign_id         VARCHAR(64)  NOT NULL,
    contact_id          UUID         NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    reason              VARCHAR(64),
    attempts            INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMPTZ,
    -- the worker that holds it while SENDING (its lease is in delivery_worker)
    worker_id           VARCHAR(64),
    provider_message_id VARCHAR(255),
    last_error          VARCHAR(1000),
    created_at          TIMESTAMPTZ  NOT NULL,
    updated_at          TIMESTAMPTZ  NOT NULL,
    sent_at             TIMESTAMPTZ,
    CONSTRAINT delivery_pk PRIMARY KEY (campaign_id, contact_id)
);
-- what the workers claim next
CREATE INDEX delivery_pending_idx ON delivery (campaign_id, contact_id) WHERE status = 'PENDING';
-- what a dead worker left behind
CREATE INDEX delivery_sending_idx ON delivery (worker_id) WHERE status = 'SENDING';
-- a contact's deliveries (timeline) and a campaign's by status
CREATE INDEX delivery_contact_idx ON delivery (contact_id, created_at);
CREATE INDEX delivery_status_idx ON delivery (campaign_id, status, contact_id);

-- Live delivery workers (one per instance) and their lease: a worker whose heartbeat is older than
-- the lease is dead, and its SENDING rows are settled by another worker.
CREATE TABLE delivery_worker (
    worker_id     VARCHAR(64)  NOT NULL,
    host          VARCHAR(255),
    started_at    TIMESTAMPTZ  NOT NULL,
    heartbeat_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT delivery_worker_pk PRIMARY KEY (worker_id)
);

-- The failure log: every failed send (retried or not), every send left unknown by a dead worker,
-- every failed batch.
CREATE TABLE delivery_failure (
    id           BIGSERIAL    NOT NULL,
    occurred_at  TIMESTAMPTZ  NOT NULL,
    campaign_id  VARCHAR(64)  NOT NULL,
    contact_id   UUID,
    channel      VARCHAR(16)  NOT NULL,
    reason       VARCHAR(64)  NOT NULL,
    error        VARCHAR(2000),
    attempt      INTEGER      NOT NULL,
    -- RETRY_SCHEDULED, FAILED or UNKNOWN
    outcome      VARCHAR(16)  NOT NULL,
    retry_at     TIMESTAMPTZ,
    worker_id    VARCHAR(64),
    CONSTRAINT delivery_failure_pk PRIMARY KEY (id)
);
CREATE INDEX delivery_failure_campaign_idx ON delivery_failure (campaign_id, id);
CREATE INDEX delivery_failure_time_idx ON delivery_failure (occurred_at);
