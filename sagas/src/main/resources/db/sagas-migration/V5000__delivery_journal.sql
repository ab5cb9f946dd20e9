-- The delivery journal: before a worker sends a group of recipients it writes down which ones it is about to
-- send, with the outcomes of the group before (its claim is recorded in the delivery table only when the
-- whole claim is done). A worker killed mid-claim thus leaves at most one group per sender whose outcome
-- nobody knows; a survivor records the outcomes written here, settles that group like any send under way
-- (webhooks again with the same Idempotency-Key, e-mail and SMS UNKNOWN) and gives the rest of the claim,
-- never attempted, back to the queue. A claim's rows are deleted in the transaction that records it. Rows
-- a worker left SENDING that no journal claims (a worker of an earlier version) are all settled as under way.
CREATE TABLE delivery_journal (
    worker_id    VARCHAR(64)  NOT NULL,
    claim_id     UUID         NOT NULL,
    step         INTEGER      NOT NULL,
    campaign_id  VARCHAR(64)  NOT NULL,
    -- step 0, written with the claim: every recipient (contact id) claimed
    claimed      UUID[],
    -- steps 1, 2, ...: the recipients (contact ids) of the group about to be sent
    attempting   UUID[]       NOT NULL,
    -- the outcomes of the group before, as the worker would record them (JSON array)
    finished     JSONB        NOT NULL,
    written_at   TIMESTAMPTZ  NOT NULL,
    CONSTRAINT delivery_journal_pk PRIMARY KEY (worker_id, claim_id, step)
);
