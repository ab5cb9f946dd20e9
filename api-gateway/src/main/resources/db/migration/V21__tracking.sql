-- Audience: event tracking.

-- Command side: message ids already stored by the ingestion API (idempotency on messageId).
CREATE TABLE tracking_message (
    message_id  VARCHAR(200) NOT NULL,
    received_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT tracking_message_pk PRIMARY KEY (message_id)
);

-- Read model of the tracked-events projection, shaped for behavioural segment conditions
-- ("performed E at least N times in the last D days", "did not perform E") and the contact timeline.
-- global_index is the event's position in the event store (the projection's idempotency key).
CREATE TABLE tracked_event (
    global_index BIGINT       NOT NULL,
    contact_id   UUID,
    anonymous_id VARCHAR(200),
    event        VARCHAR(200) NOT NULL,
    occurred_at  TIMESTAMPTZ  NOT NULL,
    properties   JSONB        NOT NULL DEFAULT '{}'::jsonb,
    late         BOOLEAN      NOT NULL DEFAULT false,
    CONSTRAINT tracked_event_pk PRIMARY KEY (global_index)
);
-- behaviour conditions: one event name, a time window, grouped by contact (index-only)
CREATE INDEX tracked_event_event_time_idx ON tracked_event (event, occurred_at) INCLUDE (contact_id);
-- a contact's events (timeline)
CREATE INDEX tracked_event_contact_idx ON tracked_event (contact_id, global_index);
