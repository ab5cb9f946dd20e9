package io.herald.saga.flow;

import io.herald.api.flow.FindFlowRunTotalsQuery;
import io.herald.api.flow.FlowRunTotalsView;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The flow list's totals per flow: contacts in it now (its live runs, counted by one grouped query over the
 * partial index of live runs, so finished runs cost nothing however many there are) and its sends so far (a
 * counter, {@code flow_send_total}, that {@link FlowRunStore#move} adds to in the transaction writing a
 * {@code sent} or {@code webhook} step). The counter is spread over {@value #SLOTS} slots per flow, one picked at
 * random per send: runs of one flow moved on at the same moment by the threads of one worker or by several workers
 * rarely want the same row lock, and a flow's count is the sum of at most {@value #SLOTS} rows.
 */
@Component
public class FlowRunTotals {

    /** Rows per flow of {@code flow_send_total}. */
    static final int SLOTS = 32;

    /** Decision-log kinds of a successful send: a send node's and a webhook node's. */
    static final Set<String> SENT = Set.of("sent", "webhook");

    /** A flow's totals. */
    record Totals(long contactsInFlow, long sendsSoFar) {
    }

    private final JdbcTemplate jdbc;

    public FlowRunTotals(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * Counts a send of the run's flow when {@code kind} is a successful send's; in the caller's transaction (the
     * one writing the step), as its last statement so that the slot's row lock is held only until the commit.
     */
    static void countSend(JdbcTemplate jdbc, UUID runId, String kind) {
        if (kind == null || !SENT.contains(kind)) {
            return;
        }
        jdbc.update("insert into flow_send_total (flow_id, slot, sends) select flow_id, ?, 1 from flow_run "
                            + "where run_id = ? on conflict (flow_id, slot) do update "
                            + "set sends = flow_send_total.sends + 1",
                    ThreadLocalRandom.current().nextInt(SLOTS), runId);
    }

    /**
     * {@link #countSend} for a batch: {@code sends} successful sends per flow, each flow's added to one slot picked
     * at random, in one statement; in the caller's transaction, as its last statement.
     */
    static void countSends(JdbcTemplate jdbc, Map<UUID, Integer> sends) {
        if (sends.isEmpty()) {
            return;
        }
        List<Map.Entry<UUID, Integer>> flows = List.copyOf(sends.entrySet());
        jdbc.update(connection -> {
            var statement = connection.prepareStatement(
                    "insert into flow_send_total (flow_id, slot, sends) select f, s, n "
                            + "from unnest(?::uuid[], ?::int[], ?::bigint[]) as u(f, s, n) "
                            + "on conflict (flow_id, slot) do update set sends = flow_send_total.sends + excluded.sends");
            statement.setArray(1, connection.createArrayOf("uuid", flows.stream().map(Map.Entry::getKey).toArray()));
            statement.setArray(2, connection.createArrayOf("int4", flows.stream()
                    .map(flow -> ThreadLocalRandom.current().nextInt(SLOTS)).toArray()));
            statement.setArray(3, connection.createArrayOf("int8", flows.stream()
                    .map(flow -> (long) flow.getValue()).toArray()));
            return statement;
        });
    }

    /** The flow list's totals: every given flow that is a UUID, in the given order (zeros without runs). */
    @QueryHandler
    FlowRunTotalsView handle(FindFlowRunTotalsQuery query) {
        List<UUID> flows = query.flowIds() == null ? List.of() : query.flowIds().stream()
                .filter(id -> id != null && FlowRunQueryHandler.UUID_TEXT.matcher(id).matches()).map(UUID::fromString).distinct()
                .toList();
        Map<UUID, Totals> totals = of(flows);
        return new FlowRunTotalsView(flows.stream().map(flow -> new FlowRunTotalsView.Totals(
                flow.toString(), totals.get(flow).contactsInFlow(), totals.get(flow).sendsSoFar())).toList());
    }

    /** The totals of the given flows; a flow without runs has zeros. */
    Map<UUID, Totals> of(List<UUID> flows) {
        Map<UUID, long[]> counts = new HashMap<>();
        flows.forEach(flow -> counts.put(flow, new long[2]));
        if (!flows.isEmpty()) {
            UUID[] ids = flows.toArray(UUID[]::new);
            jdbc.query(connection -> {
                var statement = connection.prepareStatement(
                        "select flow_id, count(*) from flow_run where flow_id = any(?) and state in "
                                + FlowRunStore.LIVE + " group by flow_id");
                statement.setArray(1, connection.createArrayOf("uuid", ids));
                return statement;
            }, rs -> {
                counts.get(rs.getObject(1, UUID.class))[0] = rs.getLong(2);
            });
            jdbc.query(connection -> {
                var statement = connection.prepareStatement(
                        "select flow_id, sum(sends) from flow_send_total where flow_id = any(?) group by flow_id");
                statement.setArray(1, connection.createArrayOf("uuid", ids));
                return statement;
            }, rs -> {
                counts.get(rs.getObject(1, UUID.class))[1] = rs.getLong(2);
            });
        }
        Map<UUID, Totals> totals = new HashMap<>();
        counts.forEach((flow, c) -> totals.put(flow, new Totals(c[0], c[1])));
        return totals;
    }
}
