-- The messaging policy (frequency caps, quiet hours) as stored: one row, written in the policy command's own
-- transaction (processing group flow-definitions, subscribing); rebuildable from the event store.
CREATE TABLE messaging_policy (
    id         varchar(64)  NOT NULL,
    policy     jsonb        NOT NULL,
    version    bigint       NOT NULL,
    updated_at timestamptz  NOT NULL,
    CONSTRAINT messaging_policy_pk PRIMARY KEY (id)
);
