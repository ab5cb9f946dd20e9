-- A campaign marked transactional is exempt from the messaging policy (frequency caps, quiet hours).
ALTER TABLE campaign_summary ADD COLUMN transactional boolean NOT NULL DEFAULT false;
