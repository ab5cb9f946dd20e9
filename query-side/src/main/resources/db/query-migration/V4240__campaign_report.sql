-- Read model of the campaign-report projection (group campaign-report): a campaign's opens and clicks counted as
-- they are recorded, so the report (GET /api/campaigns/{id}/report) is a few primary-key reads, never a scan of the
-- opens and clicks themselves. Rebuildable from the event store; counting is idempotent (campaign_report_mark).

-- What has been counted: "e:<event id>" (each event counted once, also when a rebuild meets it again) and the
-- firsts that make unique counts: "o:<delivery>", "oh:<delivery>" (opened, opened by a person), "c:<delivery>",
-- "ch:<delivery>" (clicked any link), "l<link index>:<delivery>", "lh<link index>:<delivery>" (clicked that link).
CREATE TABLE campaign_report_mark (
    campaign_id VARCHAR(64)  NOT NULL,
    mark        VARCHAR(300) NOT NULL,
    CONSTRAINT campaign_report_mark_pk PRIMARY KEY (campaign_id, mark)
);

-- Totals of one campaign. *_all: every open or click; *_human: those not taken for a machine's. opens/clicks:
-- every event; openers/clickers: distinct deliveries (recipients) that opened / clicked any link.
CREATE TABLE campaign_report (
    campaign_id     VARCHAR(64) NOT NULL,
    opens_all       BIGINT      NOT NULL DEFAULT 0,
    opens_human     BIGINT      NOT NULL DEFAULT 0,
    openers_all     BIGINT      NOT NULL DEFAULT 0,
    openers_human   BIGINT      NOT NULL DEFAULT 0,
    clicks_all      BIGINT      NOT NULL DEFAULT 0,
    clicks_human    BIGINT      NOT NULL DEFAULT 0,
    clickers_all    BIGINT      NOT NULL DEFAULT 0,
    clickers_human  BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT campaign_report_pk PRIMARY KEY (campaign_id)
);

-- The same counters per hour (UTC, the start of the hour the open or click happened in); openers/clickers are
-- the recipients whose first open / click fell in that hour.
CREATE TABLE campaign_report_hour (
    campaign_id     VARCHAR(64) NOT NULL,
    hour            TIMESTAMPTZ NOT NULL,
    opens_all       BIGINT      NOT NULL DEFAULT 0,
    opens_human     BIGINT      NOT NULL DEFAULT 0,
    openers_all     BIGINT      NOT NULL DEFAULT 0,
    openers_human   BIGINT      NOT NULL DEFAULT 0,
    clicks_all      BIGINT      NOT NULL DEFAULT 0,
    clicks_human    BIGINT      NOT NULL DEFAULT 0,
    clickers_all    BIGINT      NOT NULL DEFAULT 0,
    clickers_human  BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT campaign_report_hour_pk PRIMARY KEY (campaign_id, hour)
);

-- Clicks per link of the e-mail (its number among the e-mail's distinct links; url: the first one clicked with
-- that number). unique_*: distinct recipients who clicked it.
CREATE TABLE campaign_report_link (
    campaign_id   VARCHAR(64) NOT NULL,
    link_index    INTEGER     NOT NULL,
    url           TEXT        NOT NULL,
    clicks_all    BIGINT      NOT NULL DEFAULT 0,
    clicks_human  BIGINT      NOT NULL DEFAULT 0,
    unique_all    BIGINT      NOT NULL DEFAULT 0,
    unique_human  BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT campaign_report_link_pk PRIMARY KEY (campaign_id, link_index)
);
