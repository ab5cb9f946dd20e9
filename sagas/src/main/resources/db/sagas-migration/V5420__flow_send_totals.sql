-- The flow list's "sends so far" (io.herald.saga.flow): successful sends of a flow's send and webhook nodes
-- (decision-log kinds 'sent' and 'webhook'), of every version, counted by the flow runtime in the transaction that
-- writes the step. A flow's count is spread over slots (a step adds 1 to a slot picked at random), so concurrent
-- workers and runs of one busy flow rarely wait for each other's row lock; the count is the sum of its slots.
create table flow_send_total (
    flow_id uuid     not null,
    slot    smallint not null,
    sends   bigint   not null,
    primary key (flow_id, slot)
);

-- the sends written down before this table, in slot 0
insert into flow_send_total (flow_id, slot, sends)
select r.flow_id, 0, count(*)
from flow_run_step s
join flow_run r on r.run_id = s.run_id
where s.kind in ('sent', 'webhook')
group by r.flow_id;
