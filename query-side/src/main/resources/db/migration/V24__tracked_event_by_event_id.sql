-- The tracked-events read model is keyed by the event's id: a projection does not learn an event's
-- position in the event store (an event read while filling a gap carries the position reached so
-- far, not its own). The timeline finds the stored event through its unique event_identifier.
-- Recreated empty; dropping the processor's tokens makes the projection rebuild it from the store.
DROP TABLE tracked_event;
CREATE TABLE tracked_event (
    event_id     UUID         NOT NULL,
    contact_id   UUID,
    anonymous_id VARCHAR(200),
    event        VARCHAR(200) NOT NULL,
    occurred_at  TIMESTAMPTZ  NOT NULL,
    properties   JSONB        NOT NULL DEFAULT '{}'::jsonb,
    late         BOOLEAN      NOT NULL DEFAULT false,
    CONSTRAINT tracked_event_pk PRIMARY KEY (event_id)
);
-- behaviour conditions: one event name, a time window, grouped by contact (index-only)
CREATE INDEX tracked_event_event_time_idx ON tracked_event (event, occurred_at) INCLUDE (contact_id);
-- a contact's events (timeline, per-contact conditions)
CREATE INDEX tracked_event_contact_idx ON tracked_event (contact_id, occurred_at);
DELETE FROM token_entry WHERE processor_name = 'tracked-events';
