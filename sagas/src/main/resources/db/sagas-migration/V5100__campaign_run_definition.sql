-- What a run sends, as the campaign was at its launch (CampaignLaunchedEvent carries it): the workers send from
-- this, never from the campaign read model. Null for runs opened before launches carried it (read from the read
-- model then).
ALTER TABLE campaign_run ADD COLUMN definition JSONB;
