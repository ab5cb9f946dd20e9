-- A worker reserves a batch of PENDING recipients (worker_id set, still PENDING) and marks only the few it
-- is about to send SENDING. A dead worker's reservations are released by a survivor: found by worker id,
-- here (as its SENDING rows are by delivery_sending_idx). IF NOT EXISTS: a database that ran the
-- same index as V35 of an earlier build (since reverted) has it already.
CREATE INDEX IF NOT EXISTS delivery_reserved_idx ON delivery (worker_id) WHERE status = 'PENDING' AND worker_id IS NOT NULL;

-- Outcomes a batch recorded and has not reported yet (counters and DeliveryBatchRecorded event, sent for
-- several send groups at once): one row per batch, its recipients' ids appended in each transaction that
-- records some, deleted by the one that reports them. A dead worker's rows are reported by the survivor
-- that settles it.
CREATE TABLE delivery_unreported (
    batch_id    VARCHAR(64) NOT NULL,
    worker_id   VARCHAR(64) NOT NULL,
    campaign_id VARCHAR(64) NOT NULL,
    contact_ids UUID[]      NOT NULL,
    CONSTRAINT delivery_unreported_pk PRIMARY KEY (batch_id)
);
CREATE INDEX delivery_unreported_worker_idx ON delivery_unreported (worker_id);
CREATE INDEX delivery_unreported_campaign_idx ON delivery_unreported (campaign_id);
