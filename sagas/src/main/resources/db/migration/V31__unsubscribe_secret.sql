-- Secrets Herald generates on first start and shares between instances through the database.
-- 'unsubscribe-link': the HMAC key of unsubscribe links, unless HERALD_UNSUBSCRIBE_SECRET is set
-- (inserted with ON CONFLICT DO NOTHING, then read back, so concurrent first starts agree).
CREATE TABLE herald_secret (
    name       VARCHAR(100) NOT NULL,
    value      BYTEA        NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT herald_secret_pk PRIMARY KEY (name)
);
