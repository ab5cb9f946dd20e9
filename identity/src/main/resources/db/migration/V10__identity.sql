-- Operators, their refresh tokens and invitations, API keys for machines, and the JWT signing keys.

CREATE TABLE app_user (
    id             UUID         NOT NULL,
    email          VARCHAR(320) NOT NULL,
    display_name   VARCHAR(200),
    password_hash  VARCHAR(200) NOT NULL,
    roles          TEXT[]       NOT NULL,
    active         BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ  NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL,
    last_login_at  TIMESTAMPTZ,
    deactivated_at TIMESTAMPTZ,
    CONSTRAINT app_user_pk PRIMARY KEY (id)
);
CREATE UNIQUE INDEX app_user_email_uk ON app_user (lower(email));

-- Rotating refresh tokens, stored as SHA-256 hashes. A family is one login; reusing a rotated
-- token revokes the whole family.
CREATE TABLE refresh_token (
    id             UUID        NOT NULL,
    family_id      UUID        NOT NULL,
    user_id        UUID        NOT NULL REFERENCES app_user (id),
    token_hash     CHAR(64)    NOT NULL,
    issued_at      TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    rotated_at     TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ,
    revoked_reason VARCHAR(64),
    CONSTRAINT refresh_token_pk PRIMARY KEY (id),
    CONSTRAINT refresh_token_hash_uk UNIQUE (token_hash)
);
CREATE INDEX refresh_token_family_idx ON refresh_token (family_id);
CREATE INDEX refresh_token_user_idx ON refresh_token (user_id);

CREATE TABLE invitation (
    id          UUID         NOT NULL,
    token_hash  CHAR(64)     NOT NULL,
    email       VARCHAR(320),
    role        VARCHAR(16)  NOT NULL,
    created_by  VARCHAR(200) NOT NULL, -- actor: user:<id> or oidc-user:<subject>
    created_at  TIMESTAMPTZ  NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL,
    accepted_at TIMESTAMPTZ,
    accepted_by UUID REFERENCES app_user (id),
    CONSTRAINT invitation_pk PRIMARY KEY (id),
    CONSTRAINT invitation_token_uk UNIQUE (token_hash)
);

-- API keys: "hk_<prefix>_<secret>"; only the prefix (for lookup) and a SHA-256 of the whole key are kept.
CREATE TABLE api_key (
    id           UUID         NOT NULL,
    prefix       VARCHAR(16)  NOT NULL,
    secret_hash  CHAR(64)     NOT NULL,
    label        VARCHAR(200) NOT NULL,
    scopes       TEXT[]       NOT NULL,
    created_by   VARCHAR(200) NOT NULL, -- actor: user:<id> or oidc-user:<subject>
    created_at   TIMESTAMPTZ  NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    CONSTRAINT api_key_pk PRIMARY KEY (id),
    CONSTRAINT api_key_prefix_uk UNIQUE (prefix)
);

-- Herald's own RSA signing keys when none is configured: generated once, shared by every instance.
CREATE TABLE jwt_signing_key (
    kid         VARCHAR(64) NOT NULL,
    private_key TEXT        NOT NULL,
    public_key  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT jwt_signing_key_pk PRIMARY KEY (kid)
);
