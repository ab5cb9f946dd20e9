-- Webhook subscriptions as the API shows them, written in the subscription command's own transaction (processing
-- group flow-definitions, subscribing); rebuildable from the event store. No secret here: the dispatcher (sagas)
-- keeps the secrets, encrypted, in its own table.
CREATE TABLE webhook_subscription (
    id                    varchar(64)   NOT NULL,
    url                   varchar(2000) NOT NULL,
    event_types           jsonb         NOT NULL,
    description           varchar(500),
    enabled               boolean       NOT NULL,
    campaign_failure_rate double precision,
    start_from            timestamptz,
    disabled_reason       varchar(500),
    created_at            timestamptz   NOT NULL,
    updated_at            timestamptz   NOT NULL,
    version               bigint        NOT NULL,
    CONSTRAINT webhook_subscription_pk PRIMARY KEY (id)
);
CREATE INDEX webhook_subscription_created_idx ON webhook_subscription (created_at DESC);
