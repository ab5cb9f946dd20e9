-- The W3C traceparent of a campaign's launch (null with tracing off): the delivery workers' batch spans continue it.
ALTER TABLE campaign_run ADD COLUMN traceparent TEXT;
