-- A campaign marked as a template (copied by POST /api/campaigns/{id}/duplicate, e.g. daily by n8n);
-- the list filters on it (GET /api/campaigns?template=true), so templates are found without a scan of every row.
ALTER TABLE campaign_summary ADD COLUMN template boolean NOT NULL DEFAULT false;
CREATE INDEX campaign_summary_template_idx ON campaign_summary (updated_at DESC, id) WHERE template;
