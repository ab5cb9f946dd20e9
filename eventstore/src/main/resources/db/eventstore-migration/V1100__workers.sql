-- The workers of every instance and their leases (io.herald.eventstore.work.WorkerRegistry): the delivery
-- workers, the contact-import workers. A worker's row lives while it renews it; one whose lease has run out
-- (expires_at in the past, by the database's clock) is dead: one survivor of its kind locks its row, takes
-- over or settles what it held, and deletes the row.
CREATE TABLE herald_worker (
    worker_id    VARCHAR(64)  NOT NULL,
    -- what it does ('delivery', 'contact-import'): survivors of the same kind settle a dead worker
    kind         VARCHAR(32)  NOT NULL,
    -- host name and process id, for people reading the table
    host         VARCHAR(255),
    -- the process (the application context) that registered it: with an embedded database, which only one
    -- process can use at a time, the workers of every other process are dead
    process_id   VARCHAR(64)  NOT NULL,
    started_at   TIMESTAMPTZ  NOT NULL,
    heartbeat_at TIMESTAMPTZ  NOT NULL,
    expires_at   TIMESTAMPTZ  NOT NULL,
    CONSTRAINT herald_worker_pk PRIMARY KEY (worker_id)
);
CREATE INDEX herald_worker_expiry_idx ON herald_worker (kind, expires_at);
