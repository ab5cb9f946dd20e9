-- The delivery workers' leases move to the platform's worker registry (herald_worker, V1100, the eventstore
-- module's): the rows of delivery_worker are copied there as workers of kind 'delivery' whose lease ends 10 s
-- (the default herald.delivery.worker.lease) after their last heartbeat, so a survivor settles the claims of
-- a worker that stopped before the upgrade exactly as before; then delivery_worker is dropped. delivery.worker_id
-- names a worker of herald_worker from now on.
INSERT INTO herald_worker (worker_id, kind, host, process_id, started_at, heartbeat_at, expires_at)
SELECT worker_id, 'delivery', host, 'before-V5600', started_at, heartbeat_at, heartbeat_at + INTERVAL '10 seconds'
FROM delivery_worker
ON CONFLICT (worker_id) DO NOTHING;
DROP TABLE delivery_worker;
