package io.herald.saga.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.herald.api.flow.FlowRunState;
import io.herald.api.flow.FlowRunView;
import io.herald.eventstore.database.ArrayColumns;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import io.herald.api.webhook.WebhookEventTypes;
import io.herald.saga.webhook.WebhookOutbox;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The runs ({@code flow_run}), the entries ({@code flow_entry}), the decision log ({@code flow_run_step}) and
 * the stored answers of entry calls. Callers own the transactions. A worker's writes to a run are fenced by
 * its claim: they change the run only while it is live and held by that worker.
 */
@Component
public class FlowRunStore {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    static final String LIVE = "('ACTIVE', 'WAITING')";

    private final JdbcTemplate jdbc;
    /** Where runs entering, completing and leaving are queued for webhook subscriptions, in the same transaction. */
    private final WebhookOutbox webhooks;

    public FlowRunStore(DataSource dataSource, WebhookOutbox webhooks) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.webhooks = webhooks;
    }

    /** A run as a worker sees it. */
    record Run(UUID runId, UUID flowId, int version, UUID contactId, String nodeId, FlowRunState state,
               String reason, Instant dueAt, Map<String, Object> data, int attempts) {
    }

    // --- entries ---------------------------------------------------------------------------------------

    /** What {@link #enter} did: the run entered, or the live run it is already in, or neither (re-entry window). */
    record Entry(boolean entered, UUID runId) {
    }

    /**
     * Enters one contact: claims the flow's entry row for its key ({@code c:<contact>} or {@code k:<dedupKey>})
     * unless a live run holds it or the re-entry policy forbids it (never, or not before {@code reEntryDays}),
     * then inserts the run (ACTIVE at the entry node, due now) and its first decision-log row. A concurrent
     * entry of the same key waits for this one's transaction and then finds the key taken.
     */
    Entry enter(UUID flowId, int version, UUID contactId, String entryKey, String dedupKey, String entryNode,
                Map<String, Object> data, Integer reEntryDays, Instant now, String how) {
        UUID runId = UUID.randomUUID();
        Timestamp at = Timestamp.from(now);
        // days < 0: never again
        int days = reEntryDays == null ? -1 : reEntryDays;
        List<UUID> claimed = jdbc.queryForList(
                "insert into flow_entry (flow_id, entry_key, run_id, entered_at) values (?, ?, ?, ?) "
                        + "on conflict (flow_id, entry_key) do update set run_id = excluded.run_id, "
                        + "entered_at = excluded.entered_at "
                        + "where ? >= 0 and flow_entry.entered_at <= excluded.entered_at - make_interval(days => ?) "
                        + "and not exists (select 1 from flow_run r where r.run_id = flow_entry.run_id "
                        + "and r.state in " + LIVE + ") returning run_id",
                UUID.class, flowId, entryKey, runId, at, days, Math.max(days, 0));
        if (claimed.isEmpty()) {
            List<UUID> live = jdbc.queryForList("select run_id from flow_run where flow_id = ? and entry_key = ? "
                                                        + "and state in " + LIVE, UUID.class, flowId, entryKey);
            return new Entry(false, live.isEmpty() ? null : live.get(0));
        }
        jdbc.update("insert into flow_run (run_id, flow_id, version, contact_id, entry_key, dedup_key, node_id, state, "
                            + "due_at, trigger_data, entered_at, updated_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?::jsonb, ?, ?)",
                    runId, flowId, version, contactId, entryKey, dedupKey, entryNode, at, json(data), at, at);
        step(runId, now, entryNode, "entered", how + ", version " + version, "next");
        webhooks.queueFlowRun(WebhookEventTypes.FLOW_ENTERED, flowId, version, runId, contactId, entryNode, how, now);
        return new Entry(true, runId);
    }

    /** Puts a flow among those the workers look after (pause, stop). */
    void rememberFlow(UUID flowId, Instant now) {
        jdbc.update("insert into flow_runtime_flow (flow_id, added_at) values (?, ?) on conflict do nothing", flowId,
                    Timestamp.from(now));
    }

    /**
     * Takes an Idempotency-Key for a call: true when this call is the first (its answer is stored later, in
     * the same transaction); false when an earlier call holds it (a concurrent one is waited for).
     */
    boolean takeKey(UUID flowId, String key, String requestHash, Instant now) {
        return jdbc.update("insert into flow_entry_request (flow_id, idempotency_key, request_hash, created_at) "
                                   + "values (?, ?, ?, ?) on conflict do nothing", flowId, key, requestHash,
                           Timestamp.from(now)) == 1;
    }

    /** The stored call of a key: its request hash and answer (JSON). */
    record StoredCall(String requestHash, String response) {
    }

    StoredCall storedCall(UUID flowId, String key) {
        List<StoredCall> calls = jdbc.query("select request_hash, response::text from flow_entry_request "
                                                    + "where flow_id = ? and idempotency_key = ?",
                                            (rs, row) -> new StoredCall(rs.getString(1), rs.getString(2)), flowId, key);
        return calls.isEmpty() ? null : calls.get(0);
    }

    /** Forgets the entries calls answered before {@code before}; returns how many. */
    int forgetEntryKeysBefore(Instant before) {
        return jdbc.update("delete from flow_entry_request where created_at < ?", Timestamp.from(before));
    }

    void storeAnswer(UUID flowId, String key, String response) {
        jdbc.update("update flow_entry_request set response = ?::jsonb where flow_id = ? and idempotency_key = ?",
                    response, flowId, key);
    }

    // --- the workers ---------------------------------------------------------------------------------------

    /** The flows that have had runs. */
    List<UUID> flows() {
        return jdbc.queryForList("select flow_id from flow_runtime_flow", UUID.class);
    }

    /**
     * Claims up to {@code limit} runs of the given flows that are due (live, due_at passed, not held by a
     * worker whose lease is still on), oldest due first, for {@code lease}. In its own transaction: the due runs are
     * read in due order from {@code flow_run_due} whatever {@code flow_run}'s statistics say (without them, as
     * before the table is first analysed, the planner reads every live run of the flow and sorts them instead).
     */
    List<Run> claim(List<UUID> flows, String workerId, int limit, Duration lease, Instant now) {
        if (flows.isEmpty()) {
            return List.of();
        }
        // for this transaction only: a sort costs so much that the ordered index scan is chosen
        jdbc.execute("set local enable_sort = off");
        Timestamp at = Timestamp.from(now);
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "update flow_run r set worker_id = ?, lease_until = ? from (select run_id from flow_run "
                            + "where state in " + LIVE + " and due_at <= ? and flow_id = any(?) "
                            + "and (lease_until is null or lease_until < ?) order by due_at limit ? "
                            + "for update skip locked) due where r.run_id = due.run_id "
                            + "returning r.run_id, r.flow_id, r.version, r.contact_id, r.node_id, r.state, r.reason, "
                            + "r.due_at, r.trigger_data::text, r.attempts");
            statement.setString(1, workerId);
            statement.setTimestamp(2, Timestamp.from(now.plus(lease)));
            statement.setTimestamp(3, at);
            statement.setArray(4, connection.createArrayOf("uuid", flows.toArray()));
            statement.setTimestamp(5, at);
            statement.setInt(6, limit);
            return statement;
        }, RUN);
    }

    private static final RowMapper<Run> RUN = (rs, row) -> {
        Timestamp due = rs.getTimestamp("due_at");
        return new Run(rs.getObject("run_id", UUID.class), rs.getObject("flow_id", UUID.class), rs.getInt("version"),
                       rs.getObject("contact_id", UUID.class), rs.getString("node_id"),
                       FlowRunState.valueOf(rs.getString("state")), rs.getString("reason"),
                       due == null ? null : due.toInstant(), map(rs.getString("trigger_data")), rs.getInt("attempts"));
    };

    /**
     * Moves a run held by {@code workerId} on: to {@code node} in {@code state} (with {@code reason},
     * {@code dueAt} and {@code attempts}), with one decision-log row, renewing the lease. False when the run is
     * no longer the worker's or no longer live (stopped meanwhile): the worker leaves it.
     */
    boolean move(UUID runId, String workerId, String atNode, String kind, String detail, String edge, String node,
                 FlowRunState state, String reason, Instant dueAt, int attempts, Instant now, Duration lease) {
        int changed = jdbc.update("update flow_run set node_id = ?, state = ?, reason = ?, due_at = ?, attempts = ?, "
                                          + "updated_at = ?, lease_until = ?, "
                                          + "worker_id = case when ? then worker_id end "
                                          + "where run_id = ? and worker_id = ? and state in " + LIVE,
                                  node, state.name(), reason, dueAt == null ? null : Timestamp.from(dueAt), attempts,
                                  Timestamp.from(now), state == FlowRunState.ACTIVE && dueAt != null
                                          && !dueAt.isAfter(now) ? Timestamp.from(now.plus(lease)) : null,
                                  state == FlowRunState.ACTIVE && dueAt != null && !dueAt.isAfter(now),
                                  runId, workerId);
        if (changed == 1 && kind != null) {
            step(runId, now, atNode, kind, detail, edge);
        }
        if (changed == 1 && state != FlowRunState.ACTIVE && state != FlowRunState.WAITING) {
            jdbc.update("delete from flow_run_event where run_id = ?", runId);
            queueEnd(runId, state, node, detail, now);
        }
        if (changed == 1) {
            FlowRunTotals.countSend(jdbc, runId, kind); // last: its row lock is held only until the commit
        }
        return changed == 1;
    }

    /** A decision-log row of {@link #moveThrough}. */
    record Step(Instant at, String nodeId, String kind, String detail, String edge) {
    }

    /**
     * Moves a run held by {@code workerId} through several nodes at once, as {@link #move} would one by one in the
     * caller's transaction: one update to where the last of them left it (fenced by the claim as {@code move} is) and
     * one insert of their decision-log rows, in their order. False when the run is no longer the worker's or no
     * longer live: nothing is written.
     */
    boolean moveThrough(UUID runId, String workerId, List<Step> steps, String node, FlowRunState state, String reason,
                        Instant dueAt, int attempts, String detail, Instant now, Duration lease) {
        boolean goesOn = state == FlowRunState.ACTIVE && dueAt != null && !dueAt.isAfter(now);
        List<Map<String, Object>> moved = jdbc.queryForList(
                "update flow_run set node_id = ?, state = ?, reason = ?, due_at = ?, attempts = ?, updated_at = ?, "
                        + "lease_until = ?, worker_id = case when ? then worker_id end "
                        + "where run_id = ? and worker_id = ? and state in " + LIVE
                        + " returning flow_id, version, contact_id",
                node, state.name(), reason, dueAt == null ? null : Timestamp.from(dueAt), attempts, Timestamp.from(now),
                goesOn ? Timestamp.from(now.plus(lease)) : null, goesOn, runId, workerId);
        if (moved.isEmpty()) {
            return false;
        }
        if (!steps.isEmpty()) {
            jdbc.update(connection -> {
                var statement = connection.prepareStatement(
                        "insert into flow_run_step (run_id, at, node_id, kind, detail, edge) "
                                + "select ?, s.at, s.node_id, s.kind, s.detail, s.edge from unnest(?::timestamptz[], "
                                + "?::varchar[], ?::varchar[], ?::text[], ?::varchar[]) with ordinality "
                                + "as s(at, node_id, kind, detail, edge, ord) order by s.ord");
                statement.setObject(1, runId);
                ArrayColumns.of(steps)
                        .column("timestamptz", Timestamp.class, step -> Timestamp.from(step.at()))
                        .column("varchar", String.class, Step::nodeId)
                        .column("varchar", String.class, Step::kind)
                        .column("text", String.class, Step::detail)
                        .column("varchar", String.class, Step::edge)
                        .bind(statement, 2);
                return statement;
            });
        }
        if (state != FlowRunState.ACTIVE && state != FlowRunState.WAITING) {
            jdbc.update("delete from flow_run_event where run_id = ?", runId);
            Map<String, Object> run = moved.get(0);
            queueEnd(runId, (UUID) run.get("flow_id"), ((Number) run.get("version")).intValue(),
                     (UUID) run.get("contact_id"), state, node, detail, now);
        }
        return true;
    }

    /** One run's moves of {@link #moveBatch}: where the last of them left it, and their decision-log rows. */
    record BatchMove(UUID runId, List<Step> steps, String node, FlowRunState state, String reason, Instant dueAt,
                     int attempts, String detail, Instant at) {
    }

    /**
     * {@link #moveThrough} for several runs held by {@code workerId} at once, in the caller's transaction: one update
     * of every run (each fenced by the claim as {@code moveThrough} fences one), one insert of the decision-log rows
     * of the runs it moved (per run in their order), and for the runs that ended, one delete of their received
     * events and their webhook messages. Returns the runs moved; a run no longer the worker's or no longer live is
     * not among them and none of its rows is written.
     */
    Set<UUID> moveBatch(String workerId, List<BatchMove> moves, Duration lease) {
        if (moves.isEmpty()) {
            return Set.of();
        }
        // rows locked in run_id order, as the event side locks a contact's runs
        List<BatchMove> sorted = moves.stream().sorted(java.util.Comparator.comparing(BatchMove::runId)).toList();
        record Moved(UUID runId, UUID flowId, int version, UUID contactId) {
        }
        List<Moved> moved = jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "update flow_run r set node_id = m.node_id, state = m.state, reason = m.reason, due_at = m.due_at, "
                            + "attempts = m.attempts, updated_at = m.updated_at, lease_until = m.lease_until, "
                            + "worker_id = case when m.keep then r.worker_id end "
                            + "from unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[], "
                            + "?::int[], ?::timestamptz[], ?::timestamptz[], ?::boolean[]) "
                            + "as m(run_id, node_id, state, reason, due_at, attempts, updated_at, lease_until, keep) "
                            // the runs looked up by their key: "state || ''" keeps the planner from reading the
                            // partial indexes of every live run instead when flow_run's statistics are stale
                            + "where r.run_id = m.run_id and r.worker_id = ? and (r.state || '') in " + LIVE
                            + " returning r.run_id, r.flow_id, r.version, r.contact_id");
            int next = ArrayColumns.of(sorted)
                    .column("uuid", UUID.class, BatchMove::runId)
                    .column("varchar", String.class, BatchMove::node)
                    .column("varchar", String.class, move -> move.state().name())
                    .column("varchar", String.class, BatchMove::reason)
                    .column("timestamptz", Timestamp.class, move -> move.dueAt() == null ? null
                            : Timestamp.from(move.dueAt()))
                    .column("int4", Integer.class, BatchMove::attempts)
                    .column("timestamptz", Timestamp.class, move -> Timestamp.from(move.at()))
                    .column("timestamptz", Timestamp.class, move -> goesOn(move)
                            ? Timestamp.from(move.at().plus(lease)) : null)
                    .column("bool", Boolean.class, FlowRunStore::goesOn)
                    .bind(statement, 1);
            statement.setString(next, workerId);
            return statement;
        }, (rs, row) -> new Moved(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3),
                                  rs.getObject(4, UUID.class)));
        if (moved.isEmpty()) {
            return Set.of();
        }
        Map<UUID, Moved> byId = new LinkedHashMap<>();
        moved.forEach(run -> byId.put(run.runId(), run));
        record Row(UUID runId, Step step) {
        }
        List<Row> rows = new ArrayList<>();
        List<BatchMove> ended = new ArrayList<>();
        for (BatchMove move : moves) {
            if (byId.containsKey(move.runId())) {
                move.steps().forEach(step -> rows.add(new Row(move.runId(), step)));
                if (move.state() != FlowRunState.ACTIVE && move.state() != FlowRunState.WAITING) {
                    ended.add(move);
                }
            }
        }
        if (!rows.isEmpty()) {
            jdbc.update(connection -> {
                var statement = connection.prepareStatement(
                        "insert into flow_run_step (run_id, at, node_id, kind, detail, edge) "
                                + "select s.run_id, s.at, s.node_id, s.kind, s.detail, s.edge from unnest(?::uuid[], "
                                + "?::timestamptz[], ?::varchar[], ?::varchar[], ?::text[], ?::varchar[]) with ordinality "
                                + "as s(run_id, at, node_id, kind, detail, edge, ord) order by s.ord");
                ArrayColumns.of(rows)
                        .column("uuid", UUID.class, Row::runId)
                        .column("timestamptz", Timestamp.class, row -> Timestamp.from(row.step().at()))
                        .column("varchar", String.class, row -> row.step().nodeId())
                        .column("varchar", String.class, row -> row.step().kind())
                        .column("text", String.class, row -> row.step().detail())
                        .column("varchar", String.class, row -> row.step().edge())
                        .bind(statement, 1);
                return statement;
            });
        }
        if (!ended.isEmpty()) {
            jdbc.update(connection -> {
                var statement = connection.prepareStatement("delete from flow_run_event where run_id = any(?)");
                statement.setArray(1, connection.createArrayOf("uuid", ended.stream().map(BatchMove::runId).toArray()));
                return statement;
            });
            webhooks.queueFlowRunEnds(ended.stream().map(move -> {
                Moved run = byId.get(move.runId());
                return new WebhookOutbox.FlowRunEnd(move.state() == FlowRunState.COMPLETED
                                                            ? WebhookEventTypes.FLOW_COMPLETED
                                                            : WebhookEventTypes.FLOW_EXITED,
                                                    run.flowId(), run.version(), run.runId(), run.contactId(),
                                                    move.node(), endReason(move.state(), move.detail()), move.at());
            }).toList());
        }
        // a send node's moves count the flow's sends (last: the counters' row locks are held only until the commit)
        Map<UUID, Integer> sends = new LinkedHashMap<>();
        for (BatchMove move : moves) {
            if (byId.containsKey(move.runId())) {
                long sent = move.steps().stream().filter(step -> FlowRunTotals.SENT.contains(step.kind())).count();
                if (sent > 0) {
                    sends.merge(byId.get(move.runId()).flowId(), (int) sent, Integer::sum);
                }
            }
        }
        FlowRunTotals.countSends(jdbc, sends);
        return byId.keySet();
    }

    /** A run that goes on at once: the worker keeps it (and its lease is renewed). */
    private static boolean goesOn(BatchMove move) {
        return move.state() == FlowRunState.ACTIVE && move.dueAt() != null && !move.dueAt().isAfter(move.at());
    }

    /** Writes a decision-log row while the run is the worker's (e.g. a webhook about to be sent); false otherwise. */
    boolean note(UUID runId, String workerId, String nodeId, String kind, String detail, Instant now, Duration lease) {
        int held = jdbc.update("update flow_run set updated_at = ?, lease_until = ? where run_id = ? and worker_id = ? "
                                       + "and state in " + LIVE, Timestamp.from(now), Timestamp.from(now.plus(lease)),
                               runId, workerId);
        if (held == 1) {
            step(runId, now, nodeId, kind, detail);
        }
        return held == 1;
    }

    /**
     * Writes down that a send node's message is about to go out ({@code reason = 'sending'}, with a decision-log
     * row) while the run is the worker's; false otherwise. A run found {@code sending} when claimed was left by a
     * worker that died before recording the outcome.
     */
    boolean markSending(UUID runId, String workerId, String nodeId, String detail, Instant now, Duration lease) {
        int held = jdbc.update("update flow_run set reason = 'sending', updated_at = ?, lease_until = ? "
                                       + "where run_id = ? and worker_id = ? and state in " + LIVE,
                               Timestamp.from(now), Timestamp.from(now.plus(lease)), runId, workerId);
        if (held == 1) {
            step(runId, now, nodeId, "sending", detail);
        }
        return held == 1;
    }

    /** A run of {@link #markSendingBatch}: the send node and the {@code sending} row's detail. */
    record Sending(UUID runId, String nodeId, String detail) {
    }

    /**
     * {@link #markSending} for several runs held by {@code workerId} at once, in the caller's transaction: one update
     * of the runs (each fenced by the claim as {@code markSending} fences one) and one insert of their {@code sending}
     * rows. Returns the runs written down; one no longer the worker's or no longer live is not among them.
     */
    Set<UUID> markSendingBatch(String workerId, List<Sending> runs, Instant now, Duration lease) {
        if (runs.isEmpty()) {
            return Set.of();
        }
        // rows locked in run_id order, as the event side locks a contact's runs
        UUID[] ids = runs.stream().map(Sending::runId).sorted().distinct().toArray(UUID[]::new);
        Timestamp at = Timestamp.from(now);
        List<UUID> held = jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "update flow_run r set reason = 'sending', updated_at = ?, lease_until = ? "
                            + "from unnest(?::uuid[]) as m(run_id) "
                            + "where r.run_id = m.run_id and r.worker_id = ? and (r.state || '') in " + LIVE
                            + " returning r.run_id");
            statement.setTimestamp(1, at);
            statement.setTimestamp(2, Timestamp.from(now.plus(lease)));
            statement.setArray(3, connection.createArrayOf("uuid", ids));
            statement.setString(4, workerId);
            return statement;
        }, (rs, row) -> rs.getObject(1, UUID.class));
        if (held.isEmpty()) {
            return Set.of();
        }
        Set<UUID> written = new java.util.HashSet<>(held);
        List<Sending> rows = runs.stream().filter(run -> written.contains(run.runId())).toList();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement(
                    "insert into flow_run_step (run_id, at, node_id, kind, detail) "
                            + "select s.run_id, ?, s.node_id, 'sending', s.detail from unnest(?::uuid[], "
                            + "?::varchar[], ?::text[]) with ordinality as s(run_id, node_id, detail, ord) order by s.ord");
            statement.setTimestamp(1, at);
            ArrayColumns.of(rows)
                    .column("uuid", UUID.class, Sending::runId)
                    .column("varchar", String.class, Sending::nodeId)
                    .column("text", String.class, Sending::detail)
                    .bind(statement, 2);
            return statement;
        });
        return written;
    }

    // --- events for runs (exit conditions, wait_for_event) ---------------------------------------------------

    /** A contact's live run as the event side sees it. */
    record LiveRun(UUID runId, UUID flowId, int version, String nodeId, FlowRunState state, String reason,
                   Map<String, Object> data, boolean leased) {
    }

    /**
     * The contact's live runs, locked until the caller's transaction ends: a worker putting one of them into a
     * wait for an event waits for this transaction and then sees the events it recorded.
     */
    List<LiveRun> lockLiveRuns(UUID contactId, Instant now) {
        return jdbc.query("select run_id, flow_id, version, node_id, state, reason, trigger_data::text, "
                                  + "coalesce(lease_until > ?, false) as leased from flow_run "
                                  + "where contact_id = ? and state in " + LIVE + " order by run_id for update",
                          (rs, row) -> new LiveRun(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                                   rs.getInt(3), rs.getString(4), FlowRunState.valueOf(rs.getString(5)),
                                                   rs.getString(6), map(rs.getString(7)), rs.getBoolean(8)),
                          Timestamp.from(now), contactId);
    }

    /** Locks a run the worker holds (see {@link #lockLiveRuns}); false when it is no longer the worker's. */
    boolean lockHeld(UUID runId, String workerId) {
        return !jdbc.queryForList("select 1 from flow_run where run_id = ? and worker_id = ? and state in " + LIVE
                                          + " for update", Integer.class, runId, workerId).isEmpty();
    }

    /** An event a run received for one of its wait_for_event nodes. */
    record ReceivedEvent(String event, String messageId, Instant occurredAt) {
    }

    /** Records the first matching event for a run's wait_for_event node; false when one is recorded already. */
    boolean recordEvent(UUID runId, String nodeId, String event, String messageId, Instant occurredAt) {
        return jdbc.update("insert into flow_run_event (run_id, node_id, event, message_id, occurred_at) "
                                   + "values (?, ?, ?, ?, ?) on conflict do nothing", runId, nodeId, event, messageId,
                           Timestamp.from(occurredAt)) == 1;
    }

    ReceivedEvent receivedEvent(UUID runId, String nodeId) {
        List<ReceivedEvent> found = jdbc.query("select event, message_id, occurred_at from flow_run_event "
                                                       + "where run_id = ? and node_id = ?",
                                               (rs, row) -> new ReceivedEvent(rs.getString(1), rs.getString(2),
                                                                              rs.getTimestamp(3).toInstant()),
                                               runId, nodeId);
        return found.isEmpty() ? null : found.get(0);
    }

    void forgetEvent(UUID runId, String nodeId) {
        jdbc.update("delete from flow_run_event where run_id = ? and node_id = ?", runId, nodeId);
    }

    /**
     * Wakes a run waiting at {@code nodeId} for an event (and not claimed for its timeout): due now, reason
     * {@code event-received}, with a decision-log row; false when it was not so waiting.
     */
    boolean wake(UUID runId, String nodeId, String detail, Instant now) {
        int woken = jdbc.update("update flow_run set reason = 'event-received', due_at = ?, updated_at = ? "
                                        + "where run_id = ? and node_id = ? and state = 'WAITING' "
                                        + "and reason = 'wait-for-event' and (lease_until is null or lease_until <= ?)",
                                Timestamp.from(now), Timestamp.from(now), runId, nodeId, Timestamp.from(now));
        if (woken == 1) {
            step(runId, now, nodeId, "event-received", detail, "next");
        }
        return woken == 1;
    }

    /** Ends a live run early (an exit condition), with a decision-log row; false when it was no longer live. */
    boolean exit(UUID runId, String nodeId, String detail, Instant now) {
        int exited = jdbc.update("update flow_run set state = 'EXITED', reason = null, due_at = null, worker_id = null, "
                                         + "lease_until = null, updated_at = ? where run_id = ? and state in " + LIVE,
                                 Timestamp.from(now), runId);
        if (exited == 1) {
            step(runId, now, nodeId, "exited", detail);
            jdbc.update("delete from flow_run_event where run_id = ?", runId);
            queueEnd(runId, FlowRunState.EXITED, nodeId, detail, now);
        }
        return exited == 1;
    }

    /** Queues {@code flow.completed} or {@code flow.exited} (a stop included) for a run that just ended. */
    private void queueEnd(UUID runId, FlowRunState state, String nodeId, String reason, Instant now) {
        List<Map<String, Object>> rows = jdbc.queryForList("select flow_id, version, contact_id from flow_run "
                                                                   + "where run_id = ?", runId);
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Object> run = rows.get(0);
        queueEnd(runId, (UUID) run.get("flow_id"), ((Number) run.get("version")).intValue(),
                 (UUID) run.get("contact_id"), state, nodeId, reason, now);
    }

    private void queueEnd(UUID runId, UUID flowId, int version, UUID contactId, FlowRunState state, String nodeId,
                          String reason, Instant now) {
        webhooks.queueFlowRun(state == FlowRunState.COMPLETED ? WebhookEventTypes.FLOW_COMPLETED
                                      : WebhookEventTypes.FLOW_EXITED,
                              flowId, version, runId, contactId, nodeId, endReason(state, reason), now);
    }

    /** The reason a run's end webhook gives: none for a completion, else the state and why. */
    private static String endReason(FlowRunState state, String reason) {
        return state == FlowRunState.COMPLETED ? null : state.name().toLowerCase(java.util.Locale.ROOT)
                + (reason == null ? "" : ": " + reason);
    }

    /** Gives claimed runs back (the worker stops, or a flow was paused under it) without changing them. */
    void release(UUID runId, String workerId) {
        jdbc.update("update flow_run set worker_id = null, lease_until = null where run_id = ? and worker_id = ?",
                    runId, workerId);
    }

    /** Stops every live run of a stopped flow, each with a decision-log row; the number stopped. */
    int stopAll(UUID flowId, Instant now) {
        Timestamp at = Timestamp.from(now);
        for (Map<String, Object> run : jdbc.queryForList("select run_id, version, contact_id, node_id from flow_run "
                                                                 + "where flow_id = ? and state in " + LIVE, flowId)) {
            webhooks.queueFlowRun(WebhookEventTypes.FLOW_EXITED, flowId, ((Number) run.get("version")).intValue(),
                                  (UUID) run.get("run_id"), (UUID) run.get("contact_id"), (String) run.get("node_id"),
                                  "stopped: the flow was stopped", now);
        }
        int stopped = jdbc.update("with stopped as (update flow_run set state = 'STOPPED', reason = null, due_at = null, "
                                   + "worker_id = null, lease_until = null, updated_at = ? "
                                   + "where flow_id = ? and state in " + LIVE + " returning run_id, node_id) "
                                   + "insert into flow_run_step (run_id, at, node_id, kind, detail) "
                                   + "select run_id, ?, node_id, 'stopped', 'the flow was stopped' from stopped",
                           at, flowId, at);
        jdbc.update("delete from flow_run_event e using flow_run r where r.run_id = e.run_id and r.flow_id = ? "
                            + "and r.state = 'STOPPED'", flowId);
        return stopped;
    }

    /** Whether a flow still has live runs. */
    boolean hasLiveRuns(UUID flowId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists(select 1 from flow_run where flow_id = ? "
                                                               + "and state in " + LIVE + ")", Boolean.class, flowId));
    }

    void forgetFlow(UUID flowId) {
        jdbc.update("delete from flow_runtime_flow where flow_id = ?", flowId);
    }

    void step(UUID runId, Instant at, String nodeId, String kind, String detail) {
        step(runId, at, nodeId, kind, detail, null);
    }

    /** A decision-log row; {@code edge}: the field of the node by which the run left it (null: it stayed). */
    void step(UUID runId, Instant at, String nodeId, String kind, String detail, String edge) {
        jdbc.update("insert into flow_run_step (run_id, at, node_id, kind, detail, edge) values (?, ?, ?, ?, ?, ?)",
                    runId, Timestamp.from(at), nodeId, kind, detail, edge);
    }

    // --- segment triggers ---------------------------------------------------------------------------------------

    /**
     * Marks contacts whose data changed, to be checked against segment-triggered flows ({@link FlowSegmentEntries})
     * once the contact read model shows at least {@code version} (-1: once it shows the contact).
     */
    void markChanged(List<UUID> contacts, long version, Instant now) {
        if (contacts.isEmpty()) {
            return;
        }
        jdbc.update(connection -> {
            var statement = connection.prepareStatement(
                    "insert into flow_segment_dirty (contact_id, changed_at, version) select c, ?, ? "
                            + "from unnest(?::uuid[]) c on conflict (contact_id) do update "
                            + "set changed_at = excluded.changed_at, "
                            + "version = greatest(flow_segment_dirty.version, excluded.version)");
            statement.setTimestamp(1, Timestamp.from(now));
            statement.setLong(2, version);
            statement.setArray(3, connection.createArrayOf("uuid", contacts.stream().distinct().toArray()));
            return statement;
        });
    }

    // --- moving runs between versions ---------------------------------------------------------------------

    /**
     * Moves the live runs of {@code from} to {@code to} whose node is among {@code nodes}, not held by a worker and
     * with no send under way, each with a decision-log row; the number moved. Rows a worker claims meanwhile are
     * locked by this statement or skipped by the worker's claim ({@code SKIP LOCKED}).
     */
    long moveRuns(UUID flowId, int from, int to, Set<String> nodes, Instant now) {
        Timestamp at = Timestamp.from(now);
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "with moved as (update flow_run set version = ?, updated_at = ? where flow_id = ? and version = ? "
                            + "and state in " + LIVE + " and node_id = any(?) "
                            + "and (lease_until is null or lease_until < ?) and reason is distinct from 'sending' "
                            + "returning run_id, node_id), "
                            + "logged as (insert into flow_run_step (run_id, at, node_id, kind, detail) "
                            + "select run_id, ?, node_id, 'moved', ? from moved returning 1) "
                            + "select count(*) from logged");
            statement.setInt(1, to);
            statement.setTimestamp(2, at);
            statement.setObject(3, flowId);
            statement.setInt(4, from);
            statement.setArray(5, connection.createArrayOf("varchar", nodes.toArray()));
            statement.setTimestamp(6, at);
            statement.setTimestamp(7, at);
            statement.setString(8, "moved from version " + from + " to version " + to);
            return statement;
        }, rs -> rs.next() ? rs.getLong(1) : 0L);
    }

    /** The live runs of a version, by node. */
    Map<String, Long> liveRunsByNode(UUID flowId, int version) {
        Map<String, Long> byNode = new java.util.TreeMap<>();
        jdbc.query("select node_id, count(*) from flow_run where flow_id = ? and version = ? and state in " + LIVE
                           + " group by node_id", rs -> {
            byNode.put(rs.getString(1), rs.getLong(2));
        }, flowId, version);
        return byNode;
    }

    // --- statistics ----------------------------------------------------------------------------------------

    /** Decision-log rows of a flow's runs (of one version, or all) counted by node, kind and edge. */
    record StepCount(String nodeId, String kind, String edge, long count) {
    }

    List<StepCount> stepCounts(UUID flowId, Integer version) {
        return jdbc.query("select s.node_id, s.kind, s.edge, count(*) from flow_run_step s "
                                  + "join flow_run r on r.run_id = s.run_id where r.flow_id = ? "
                                  + "and (?::int is null or r.version = ?::int) group by s.node_id, s.kind, s.edge",
                          (rs, row) -> new StepCount(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)),
                          flowId, version, version);
    }

    /** A flow's runs counted by state and node. */
    record RunCount(String nodeId, FlowRunState state, long count) {
    }

    List<RunCount> runCounts(UUID flowId, Integer version) {
        return jdbc.query("select node_id, state, count(*) from flow_run where flow_id = ? "
                                  + "and (?::int is null or version = ?::int) group by node_id, state",
                          (rs, row) -> new RunCount(rs.getString(1), FlowRunState.valueOf(rs.getString(2)),
                                                    rs.getLong(3)), flowId, version, version);
    }

    // --- the decision log API ------------------------------------------------------------------------------

    long count(UUID flowId, UUID contactId) {
        return contactId == null
                ? jdbc.queryForObject("select count(*) from flow_run where flow_id = ?", Long.class, flowId)
                : jdbc.queryForObject("select count(*) from flow_run where flow_id = ? and contact_id = ?", Long.class,
                                      flowId, contactId);
    }

    /** A contact's runs in every flow, newest entry first, without steps (index {@code flow_run_by_contact}). */
    List<FlowRunView> contactPage(UUID contactId, int page, int size) {
        return jdbc.query(
                "select run_id, flow_id, version, contact_id, node_id, state, reason, due_at, trigger_data::text, "
                        + "dedup_key, entered_at, updated_at from flow_run where contact_id = ? "
                        + "order by entered_at desc, run_id limit ? offset ?",
                (rs, row) -> {
                    Timestamp due = rs.getTimestamp("due_at");
                    return new FlowRunView(rs.getString("run_id"), rs.getString("flow_id"), rs.getInt("version"),
                                           rs.getString("contact_id"), rs.getString("node_id"),
                                           FlowRunState.valueOf(rs.getString("state")), rs.getString("reason"),
                                           due == null ? null : due.toInstant(), map(rs.getString("trigger_data")),
                                           rs.getString("dedup_key"), rs.getTimestamp("entered_at").toInstant(),
                                           rs.getTimestamp("updated_at").toInstant(), List.of());
                }, contactId, size, (long) page * size);
    }

    long contactCount(UUID contactId) {
        return jdbc.queryForObject("select count(*) from flow_run where contact_id = ?", Long.class, contactId);
    }

    List<FlowRunView> page(UUID flowId, UUID contactId, int page, int size) {
        List<Object> params = new ArrayList<>(List.of(flowId));
        String where = "flow_id = ?";
        if (contactId != null) {
            where += " and contact_id = ?";
            params.add(contactId);
        }
        params.add(size);
        params.add((long) page * size);
        List<FlowRunView> runs = jdbc.query(
                "select run_id, flow_id, version, contact_id, node_id, state, reason, due_at, trigger_data::text, "
                        + "dedup_key, entered_at, updated_at from flow_run where " + where
                        + " order by entered_at desc, run_id limit ? offset ?",
                (rs, row) -> {
                    Timestamp due = rs.getTimestamp("due_at");
                    return new FlowRunView(rs.getString("run_id"), rs.getString("flow_id"), rs.getInt("version"),
                                           rs.getString("contact_id"), rs.getString("node_id"),
                                           FlowRunState.valueOf(rs.getString("state")), rs.getString("reason"),
                                           due == null ? null : due.toInstant(), map(rs.getString("trigger_data")),
                                           rs.getString("dedup_key"), rs.getTimestamp("entered_at").toInstant(),
                                           rs.getTimestamp("updated_at").toInstant(), List.of());
                }, params.toArray());
        if (runs.isEmpty()) {
            return runs;
        }
        Map<String, List<FlowRunView.Step>> steps = new LinkedHashMap<>();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("select run_id, at, node_id, kind, detail, edge from flow_run_step "
                                                                + "where run_id = any(?) order by id");
            statement.setArray(1, connection.createArrayOf("uuid", runs.stream()
                    .map(r -> UUID.fromString(r.runId())).toArray()));
            return statement;
        }, rs -> {
            steps.computeIfAbsent(rs.getString("run_id"), k -> new ArrayList<>())
                    .add(new FlowRunView.Step(rs.getTimestamp("at").toInstant(), rs.getString("node_id"),
                                              rs.getString("kind"), rs.getString("detail"), rs.getString("edge")));
        });
        return runs.stream().map(r -> new FlowRunView(r.runId(), r.flowId(), r.version(), r.contactId(), r.nodeId(),
                                                      r.state(), r.reason(), r.dueAt(), r.data(), r.dedupKey(),
                                                      r.enteredAt(), r.updatedAt(),
                                                      steps.getOrDefault(r.runId(), List.of()))).toList();
    }

    static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Map<String, Object> map(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
