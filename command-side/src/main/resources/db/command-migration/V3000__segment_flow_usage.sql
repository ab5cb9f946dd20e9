-- Which segments each flow uses (its draft's and its latest published version's), for the segment
-- delete check; written in the flow command's transaction (group segment-usage), emptied for a flow
-- when it is archived or stopped. Ids as lower-case text, like segment_campaign_usage.
CREATE TABLE segment_flow_usage (
    flow_id    varchar(64) NOT NULL,
    segment_id varchar(64) NOT NULL,
    source     varchar(16) NOT NULL,
    CONSTRAINT segment_flow_usage_pk PRIMARY KEY (flow_id, source, segment_id)
);
CREATE INDEX segment_flow_usage_segment_idx ON segment_flow_usage (segment_id);
