-- Bounce and complaint feedback from providers' event webhooks (io.herald.saga.feedback). The events themselves are
-- in the event store (EmailBounced, EmailComplained); these tables only make receiving them idempotent.

-- Each notification recorded once: (provider, the provider's id of it with the recipient). A provider that delivers
-- a notification again (they retry until answered 2xx) finds its row and records nothing.
CREATE TABLE email_feedback_received (
    provider     VARCHAR(16)  NOT NULL,
    feedback_id  VARCHAR(400) NOT NULL,
    delivery_id  VARCHAR(200) NOT NULL,
    received_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT email_feedback_received_pk PRIMARY KEY (provider, feedback_id)
);

-- Mailgun's signed tokens seen within the accepted age, with the event they came with: the signature covers only
-- timestamp and token, so a token coming back with another event is a replay and refused; the same event again is
-- the provider's retry. Rows older than the accepted age are deleted as new ones come.
CREATE TABLE email_feedback_token (
    token     VARCHAR(200) NOT NULL,
    event_id  VARCHAR(200) NOT NULL,
    seen_at   TIMESTAMPTZ  NOT NULL,
    CONSTRAINT email_feedback_token_pk PRIMARY KEY (token)
);
CREATE INDEX email_feedback_token_seen_idx ON email_feedback_token (seen_at);
