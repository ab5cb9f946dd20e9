-- Audience: CSV imports.

-- Command side: imports not finished yet, where their file is and where a resumed run goes on.
-- Updated in the transaction of every batch, so the position never runs ahead of what is stored.
CREATE TABLE contact_import_job (
    import_id      UUID         NOT NULL,
    file_path      VARCHAR(2000) NOT NULL,
    mode           VARCHAR(16)  NOT NULL,
    -- the column mapping, serialized like the events (Jackson)
    mapping        BYTEA        NOT NULL,
    next_batch     BIGINT       NOT NULL DEFAULT 0,
    next_row       BIGINT       NOT NULL DEFAULT 2,
    actor          VARCHAR(255),
    correlation_id VARCHAR(255),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT contact_import_job_pk PRIMARY KEY (import_id)
);

-- Read model of the contact-import projection.
CREATE TABLE contact_import (
    id             UUID         NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    file_name      VARCHAR(255) NOT NULL,
    file_size      BIGINT       NOT NULL,
    mode           VARCHAR(16)  NOT NULL,
    rows_read      BIGINT       NOT NULL DEFAULT 0,
    created        BIGINT       NOT NULL DEFAULT 0,
    updated        BIGINT       NOT NULL DEFAULT 0,
    rejected       BIGINT       NOT NULL DEFAULT 0,
    started_at     TIMESTAMPTZ  NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL,
    finished_at    TIMESTAMPTZ,
    failure_reason VARCHAR(2000),
    version        BIGINT       NOT NULL,
    CONSTRAINT contact_import_pk PRIMARY KEY (id)
);
CREATE TABLE contact_import_rejection (
    import_id  UUID          NOT NULL,
    row_number BIGINT        NOT NULL,
    code       VARCHAR(64)   NOT NULL,
    reason     VARCHAR(1000) NOT NULL,
    CONSTRAINT contact_import_rejection_pk PRIMARY KEY (import_id, row_number)
);
