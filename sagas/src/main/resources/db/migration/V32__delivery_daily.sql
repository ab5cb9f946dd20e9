-- Final delivery outcomes per day (UTC) and channel, counted in the same transaction as the delivery
-- rows (the dashboard's "sends today" and 14-day chart read this, not the million-row delivery table).
CREATE TABLE delivery_daily (
    day      DATE         NOT NULL,
    channel  VARCHAR(16)  NOT NULL,
    sent     BIGINT       NOT NULL DEFAULT 0,
    failed   BIGINT       NOT NULL DEFAULT 0,
    skipped  BIGINT       NOT NULL DEFAULT 0,
    unknown  BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT delivery_daily_pk PRIMARY KEY (day, channel)
);
