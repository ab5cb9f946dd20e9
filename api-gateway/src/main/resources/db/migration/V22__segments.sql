-- Audience: segments.

-- Command side: segments that exist (for the campaign's unknown-segment check and the delete lock),
-- which segments a segment refers to (cycle check, delete refusal), and which campaigns use a
-- segment (delete refusal). Written in the transactions of the commands that change them.
CREATE TABLE segment_registry (
    segment_id UUID NOT NULL,
    CONSTRAINT segment_registry_pk PRIMARY KEY (segment_id)
);
CREATE TABLE segment_reference (
    segment_id    UUID NOT NULL,
    referenced_id UUID NOT NULL,
    CONSTRAINT segment_reference_pk PRIMARY KEY (segment_id, referenced_id)
);
CREATE INDEX segment_reference_referenced_idx ON segment_reference (referenced_id);
CREATE TABLE segment_campaign_usage (
    campaign_id VARCHAR(64) NOT NULL,
    segment_id  VARCHAR(64),
    status      VARCHAR(16) NOT NULL,
    CONSTRAINT segment_campaign_usage_pk PRIMARY KEY (campaign_id)
);
CREATE INDEX segment_campaign_usage_segment_idx ON segment_campaign_usage (segment_id, status);

-- Read model of the segment-definition projection.
CREATE TABLE segment_definition (
    id          UUID          NOT NULL,
    name        VARCHAR(200)  NOT NULL,
    description VARCHAR(2000),
    rules       JSONB         NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL,
    updated_at  TIMESTAMPTZ   NOT NULL,
    version     BIGINT        NOT NULL,
    CONSTRAINT segment_definition_pk PRIMARY KEY (id)
);
CREATE INDEX segment_definition_updated_idx ON segment_definition (updated_at DESC, id);
