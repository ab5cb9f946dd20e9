-- Flows (definitions): the list and details of each flow with its draft (flow_summary), and each
-- published, immutable version (flow_version). Written in the flow command's own transaction
-- (processing group flow-definitions, subscribing); rebuildable from the event store.
CREATE TABLE flow_summary (
    id             uuid         NOT NULL,
    name           varchar(200) NOT NULL,
    status         varchar(16)  NOT NULL,
    trigger_type   varchar(16),
    draft          jsonb        NOT NULL,
    latest_version integer      NOT NULL DEFAULT 0,
    created_at     timestamptz  NOT NULL,
    updated_at     timestamptz  NOT NULL,
    version        bigint       NOT NULL,
    CONSTRAINT flow_summary_pk PRIMARY KEY (id)
);
CREATE INDEX flow_summary_updated_idx ON flow_summary (updated_at DESC, id);

CREATE TABLE flow_version (
    flow_id      uuid         NOT NULL,
    version      integer      NOT NULL,
    name         varchar(200) NOT NULL,
    definition   jsonb        NOT NULL,
    published_at timestamptz  NOT NULL,
    published_by varchar(200),
    CONSTRAINT flow_version_pk PRIMARY KEY (flow_id, version)
);
