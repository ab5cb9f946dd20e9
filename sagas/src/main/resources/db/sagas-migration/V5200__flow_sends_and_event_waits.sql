-- Flow send nodes, wait_for_event nodes, exit conditions and run statistics (io.herald.saga.flow).

-- A flow's send node writes its failures to the same failure log as campaigns: an entry names either a
-- campaign or a flow (with the node and the run).
alter table delivery_failure alter column campaign_id drop not null;
alter table delivery_failure add column flow_id uuid, add column flow_node_id varchar(64), add column flow_run_id uuid;
alter table delivery_failure add constraint delivery_failure_owner check (campaign_id is not null or flow_id is not null);
create index delivery_failure_flow_idx on delivery_failure (flow_id, id) where flow_id is not null;

-- The first event matching a wait_for_event node that a live run received since it entered (or since it last
-- left that node, for a loop): the node goes on at once when the run reaches it. Removed when the run leaves
-- the node.
create table flow_run_event (
    run_id      uuid not null,
    node_id     varchar(64) not null,
    event       varchar(200) not null,
    message_id  varchar(200),
    occurred_at timestamptz not null,
    primary key (run_id, node_id)
);

-- a contact's live runs, read for each of its tracked events (exit conditions, wait_for_event)
create index flow_run_live_contact on flow_run (contact_id) where state in ('ACTIVE', 'WAITING');

-- the edge a step left its node by (the field of the node that names the next one: next, trueNext, falseNext,
-- timeoutNext, paths[i].next); null for a step that stays at its node (waiting, sending, a retry): the
-- statistics per node and per edge are counted from the decision log
alter table flow_run_step add column edge varchar(80);
-- a flow's runs by state (statistics: runs per state, live runs per node)
create index flow_run_flow_state on flow_run (flow_id, state, node_id);

-- The messaging policy's frequency caps: messages per contact, channel and calendar day of the contact's time
-- zone, counted when a send is written down on a channel that has a cap (campaigns and flows; transactional sends
-- are not counted). A cap is checked and counted under a transaction-scoped advisory lock per contact and channel,
-- so two sends to one contact at the same moment cannot both pass it. Rows older than 90 days are pruned.
create table contact_message_count (
    contact_id uuid        not null,
    channel    varchar(16) not null,
    day        date        not null,
    count      int         not null,
    primary key (contact_id, channel, day)
);
create index contact_message_count_day on contact_message_count (day);

-- Segment triggers: per flow with a segment trigger, the contacts known to be in its segment (a contact found in
-- it and not here has entered it), whether the members at activation were written down (they enter nothing),
-- and when the whole segment was last compared (time-relative rules, and a safety net).
create table flow_segment_flow (
    flow_id    uuid primary key,
    segment_id varchar(64) not null,
    swept_at   timestamptz not null
);
create table flow_segment_member (
    flow_id    uuid not null,
    contact_id uuid not null,
    primary key (flow_id, contact_id)
);
-- contacts whose data changed (profile, attributes, consent, an import row, a tracked event) since they were last
-- checked against the segments of segment-triggered flows; version: the contact read model's version the check
-- waits for (the read model is written by another processor and may lag; -1: the row existing is enough)
create table flow_segment_dirty (
    contact_id uuid primary key,
    changed_at timestamptz not null,
    version    bigint not null
);
