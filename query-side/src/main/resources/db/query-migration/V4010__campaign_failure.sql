-- A FAILED campaign's reason (a stable code, e.g. channel-not-configured) and its detail, from CampaignFailedEvent.
ALTER TABLE campaign_summary ADD COLUMN failure_reason varchar(100);
ALTER TABLE campaign_summary ADD COLUMN failure_detail varchar(1000);
