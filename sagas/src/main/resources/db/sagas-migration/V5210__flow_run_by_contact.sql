-- A contact's runs across flows (GET /api/contacts/{id}/flow-runs, the contact page): flow_run_contact leads
-- with flow_id and cannot serve a lookup by contact alone.
create index flow_run_by_contact on flow_run (contact_id, entered_at desc);
