-- Bounces and complaints (EmailBounced, EmailComplained) join opens and clicks in the e-mail engagement read model
-- (the contact's timeline): kind BOUNCE or COMPLAINT; link holds the bounce's kind (hard, soft) or the complaint's
-- type. And the campaign report counts them: distinct deliveries that bounced (any), bounced for good, complained.
ALTER TABLE email_engagement ALTER COLUMN kind TYPE VARCHAR(16);

ALTER TABLE campaign_report ADD COLUMN bounced      BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_report ADD COLUMN hard_bounced BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_report ADD COLUMN complained   BIGINT NOT NULL DEFAULT 0;
