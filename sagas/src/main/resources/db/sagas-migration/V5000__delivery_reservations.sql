-- A worker reserves a batch of PENDING recipients (worker_id set, still PENDING) and marks only the
-- group it is about to send SENDING. A dead worker's reservations are released by a survivor: found
-- by worker id, here (as its SENDING rows are by delivery_sending_idx).
CREATE INDEX delivery_reserved_idx ON delivery (worker_id) WHERE status = 'PENDING' AND worker_id IS NOT NULL;
