-- Audience: anonymous visitors linked to contacts, and the retention of tracking message ids.

-- Command side: which contact an anonymous id belongs to (first link wins; see AnonymousIds).
CREATE TABLE contact_anonymous_id (
    anonymous_id VARCHAR(200) NOT NULL,
    contact_id   UUID         NOT NULL,
    linked_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT contact_anonymous_id_pk PRIMARY KEY (anonymous_id)
);

-- Read model of the tracked-events projection: the links it has seen (rebuilt by replay with tracked_event).
CREATE TABLE tracked_anonymous_link (
    anonymous_id VARCHAR(200) NOT NULL,
    contact_id   UUID         NOT NULL,
    CONSTRAINT tracked_anonymous_link_pk PRIMARY KEY (anonymous_id)
);

-- events of visitors not linked yet, found when the link arrives
CREATE INDEX tracked_event_unlinked_idx ON tracked_event (anonymous_id) WHERE contact_id IS NULL;

-- message ids older than the retention are forgotten by a recurring task
CREATE INDEX tracking_message_received_idx ON tracking_message (received_at);
