-- Files that every instance must reach, whichever received them (an import's CSV uploaded to one api
-- instance and read by a worker): kept in pieces of at most 1 MiB, in order, until their owner deletes them.
CREATE TABLE herald_shared_file_chunk (
    file_id    VARCHAR(200) NOT NULL,
    chunk      INTEGER      NOT NULL,
    data       BYTEA        NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT herald_shared_file_chunk_pk PRIMARY KEY (file_id, chunk)
);
