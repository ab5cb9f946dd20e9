-- Segment rules on e-mail engagement ("opened any e-mail in the last 30 days"): the opens or the clicks of a
-- window, with the contact and the machine flag in the index itself, so the grouped sub-select by contact reads the
-- index only. A campaign's ("opened campaign X") go through email_engagement_campaign_idx, a contact's (one contact
-- checked against a segment) through email_engagement_contact_idx.
CREATE INDEX email_engagement_kind_idx ON email_engagement (kind, occurred_at) INCLUDE (contact_id, machine);
