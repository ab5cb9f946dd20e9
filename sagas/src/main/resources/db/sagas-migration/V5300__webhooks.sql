-- Outgoing webhook subscriptions: the dispatcher's tables (sagas module).

-- The subscriptions as the dispatcher needs them, fed from the subscription events by the webhook-feed processor.
CREATE TABLE webhook_endpoint (
    subscription_id       varchar(64)   NOT NULL,
    url                   varchar(2000) NOT NULL,
    event_types           text[]        NOT NULL,
    enabled               boolean       NOT NULL,
    campaign_failure_rate double precision,
    -- the global index of the creation event: a replay (start_from) reads the events before it
    created_position      bigint        NOT NULL,
    start_from            timestamptz,
    -- the replay's progress: the last global index it read (null: not started); done when it reached created_position
    backfill_position     bigint,
    backfill_done         boolean       NOT NULL,
    -- since when every attempt failed (null: the last one succeeded)
    failing_since         timestamptz,
    CONSTRAINT webhook_endpoint_pk PRIMARY KEY (subscription_id)
);

-- Signing secrets, AES-GCM encrypted (12-byte nonce, then ciphertext and tag); the previous one while it still signs.
CREATE TABLE webhook_secret (
    subscription_id     varchar(64) NOT NULL,
    secret              bytea       NOT NULL,
    previous_secret     bytea,
    previous_expires_at timestamptz,
    created_at          timestamptz NOT NULL,
    CONSTRAINT webhook_secret_pk PRIMARY KEY (subscription_id)
);

-- The outbox: one row per message and subscription; id is the webhook-id, the same on every attempt.
CREATE TABLE webhook_message (
    id              varchar(64)  NOT NULL,
    sequence        bigserial    NOT NULL,
    subscription_id varchar(64)  NOT NULL,
    event_type      varchar(64)  NOT NULL,
    occurred_at     timestamptz  NOT NULL,
    data            jsonb        NOT NULL,
    -- what the message stands for (an event id, with a suffix when one event makes several messages): a message is
    -- queued once per subscription however often its event is read
    source_key      varchar(200),
    -- delivery.failed: campaign and minute; failures of that minute join the message while it waits
    batch_key       varchar(200),
    status          varchar(16)  NOT NULL,
    attempts        integer      NOT NULL DEFAULT 0,
    next_attempt_at timestamptz  NOT NULL,
    lease_until     timestamptz,
    created_at      timestamptz  NOT NULL,
    delivered_at    timestamptz,
    CONSTRAINT webhook_message_pk PRIMARY KEY (id),
    CONSTRAINT webhook_message_status CHECK (status IN ('PENDING', 'SENDING', 'SUCCEEDED', 'FAILED'))
);
CREATE UNIQUE INDEX webhook_message_source_idx ON webhook_message (subscription_id, source_key)
    WHERE source_key IS NOT NULL;
CREATE UNIQUE INDEX webhook_message_batch_idx ON webhook_message (subscription_id, batch_key)
    WHERE batch_key IS NOT NULL AND status = 'PENDING';
CREATE INDEX webhook_message_due_idx ON webhook_message (subscription_id, next_attempt_at)
    WHERE status IN ('PENDING', 'SENDING');
CREATE INDEX webhook_message_list_idx ON webhook_message (subscription_id, sequence);

-- Every attempt, for GET /api/webhooks/{id}/deliveries.
CREATE TABLE webhook_attempt (
    id              bigserial    NOT NULL,
    message_id      varchar(64)  NOT NULL,
    subscription_id varchar(64)  NOT NULL,
    attempt         integer      NOT NULL,
    status          varchar(16)  NOT NULL,
    response_code   integer,
    response_body   varchar(512),
    duration_ms     bigint       NOT NULL,
    error           varchar(500),
    attempted_at    timestamptz  NOT NULL,
    next_attempt_at timestamptz,
    CONSTRAINT webhook_attempt_pk PRIMARY KEY (id)
);
CREATE INDEX webhook_attempt_message_idx ON webhook_attempt (message_id, attempt);

-- Per campaign, the finished and failed sends seen by the feed: campaign.failed when a subscription's rate is crossed.
CREATE TABLE webhook_campaign_tally (
    campaign_id varchar(64) NOT NULL,
    finished    bigint      NOT NULL,
    failed      bigint      NOT NULL,
    CONSTRAINT webhook_campaign_tally_pk PRIMARY KEY (campaign_id)
);

-- The failure log records more than campaigns' sends: its source, and the webhook's subscription and message.
ALTER TABLE delivery_failure ADD COLUMN source varchar(16) NOT NULL DEFAULT 'campaign',
    ADD COLUMN webhook_subscription_id varchar(64), ADD COLUMN webhook_message_id varchar(64);
UPDATE delivery_failure SET source = 'flow' WHERE flow_id IS NOT NULL;
ALTER TABLE delivery_failure DROP CONSTRAINT delivery_failure_owner;
ALTER TABLE delivery_failure ADD CONSTRAINT delivery_failure_owner
    CHECK (campaign_id IS NOT NULL OR flow_id IS NOT NULL OR webhook_subscription_id IS NOT NULL);
CREATE INDEX delivery_failure_webhook_idx ON delivery_failure (webhook_subscription_id, id)
    WHERE webhook_subscription_id IS NOT NULL;
