-- The flow runtime (io.herald.saga.flow): one row per run, advanced by workers in batches
-- (FOR UPDATE SKIP LOCKED, a lease per claim), and the decision log of every run.

create table flow_run (
    run_id       uuid primary key,
    flow_id      uuid not null,
    version      int not null,
    contact_id   uuid not null,
    -- 'c:<contactId>' (one live run per contact) or 'k:<dedupKey>' (one live run per de-duplication key)
    entry_key    varchar(320) not null,
    dedup_key    varchar(300),
    node_id      varchar(64) not null,
    state        varchar(16) not null check (state in ('ACTIVE', 'WAITING', 'COMPLETED', 'EXITED', 'STOPPED')),
    -- why a WAITING run waits: 'wait' (until due_at), 'send-not-supported-yet', ...
    reason       varchar(64),
    -- when it moves on next; null: not by time
    due_at       timestamptz,
    trigger_data jsonb,
    -- webhook attempts at the current node
    attempts     int not null default 0,
    entered_at   timestamptz not null,
    updated_at   timestamptz not null,
    -- the worker holding the run, until lease_until; a run whose lease ran out is claimed again
    worker_id    varchar(100),
    lease_until  timestamptz
);

-- the entry policy under concurrency: never two live runs of one flow for one contact (or key)
create unique index flow_run_live on flow_run (flow_id, entry_key) where state in ('ACTIVE', 'WAITING');
create index flow_run_due on flow_run (due_at) where state in ('ACTIVE', 'WAITING') and due_at is not null;
create index flow_run_contact on flow_run (flow_id, contact_id, entered_at desc);
create index flow_run_flow on flow_run (flow_id, entered_at desc);

-- the last entry per flow and contact (or key): re-entry NEVER or after N days is decided on this row,
-- which a concurrent entry of the same contact waits for (insert ... on conflict)
create table flow_entry (
    flow_id    uuid not null,
    entry_key  varchar(320) not null,
    run_id     uuid not null,
    entered_at timestamptz not null,
    primary key (flow_id, entry_key)
);

-- the decision log: what happened at which node, and why
create table flow_run_step (
    id      bigserial primary key,
    run_id  uuid not null,
    at      timestamptz not null,
    node_id varchar(64),
    kind    varchar(40) not null,
    detail  text
);
create index flow_run_step_run on flow_run_step (run_id, id);

-- answers of POST /api/flows/{id}/entries per Idempotency-Key
create table flow_entry_request (
    flow_id         uuid not null,
    idempotency_key varchar(200) not null,
    request_hash    varchar(64) not null,
    response        jsonb,
    created_at      timestamptz not null,
    primary key (flow_id, idempotency_key)
);

-- the flows that have had runs: the workers look after these (paused: hold; stopped: stop their runs)
create table flow_runtime_flow (
    flow_id  uuid primary key,
    added_at timestamptz not null
);
