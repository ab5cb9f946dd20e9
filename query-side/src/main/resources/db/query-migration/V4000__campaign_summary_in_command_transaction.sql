-- campaign_summary is now written in the campaign command's own transaction (processing group
-- campaign-summary, subscribing) and keeps no tokens. The pooled processor's tokens are removed so
-- that a later rebuild (HERALD_CAMPAIGN_SUMMARY_MODE=pooled, README "Rebuilding a read model")
-- reads the event store from its start instead of resuming where the old processor stopped.
DELETE FROM token_entry WHERE processor_name = 'campaign-summary';
