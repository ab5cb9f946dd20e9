-- An unfinished import names the worker that runs it (its lease is in herald_worker, eventstore's table):
-- null while no worker has it. Replaces the PostgreSQL advisory lock the import worker held on a connection of
-- its own. Imports unfinished at the upgrade have none and are taken by the first worker that looks.
ALTER TABLE contact_import_job ADD COLUMN worker_id VARCHAR(64);
CREATE INDEX contact_import_job_worker_idx ON contact_import_job (worker_id);
