-- Audience: contacts.

-- Command side: the set-based lookup that makes a duplicate email or external id impossible, also
-- under concurrent requests and bulk imports (written in the same transaction as the contact's events).
CREATE TABLE contact_identity (
    contact_id  UUID         NOT NULL,
    external_id VARCHAR(255),
    email       VARCHAR(320),
    CONSTRAINT contact_identity_pk PRIMARY KEY (contact_id),
    CONSTRAINT contact_identity_external_id_uk UNIQUE (external_id),
    CONSTRAINT contact_identity_email_uk UNIQUE (email)
);

-- Read model of the contact-profile projection (rebuildable from the event store). Ids are
-- time-ordered UUIDs (v7), so ordering by id is ordering by creation.
CREATE TABLE contact (
    id          UUID         NOT NULL,
    external_id VARCHAR(255),
    email       VARCHAR(320),
    phone       VARCHAR(32),
    time_zone   VARCHAR(64),
    locale      VARCHAR(35),
    -- free JSON: text, numbers, booleans, lists; dates as canonical ISO text (see AttributeValues)
    attributes  JSONB        NOT NULL DEFAULT '{}'::jsonb,
    -- per channel: {"EMAIL": {"status": "UNSUBSCRIBED", "changedAt": "…", "reason": "…", "source": "…"}}
    consent     JSONB        NOT NULL DEFAULT '{}'::jsonb,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL,
    version     BIGINT       NOT NULL,
    CONSTRAINT contact_pk PRIMARY KEY (id)
);
-- exact and prefix search by email
CREATE INDEX contact_email_idx ON contact (email text_pattern_ops);
CREATE INDEX contact_external_id_idx ON contact (external_id);
-- attribute conditions of segments and searches: @> (equality, list membership) and ?? (exists)
CREATE INDEX contact_attributes_idx ON contact USING GIN (attributes);
