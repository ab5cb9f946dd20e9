package io.herald.query.flow;

import com.fasterxml.jackson.core.type.TypeReference;
import io.herald.api.common.MetadataKeys;
import io.herald.api.flow.FindFlowQuery;
import io.herald.api.flow.FindFlowVersionQuery;
import io.herald.api.flow.FindFlowsQuery;
import io.herald.api.flow.FlowActivatedEvent;
import io.herald.api.flow.FlowArchivedEvent;
import io.herald.api.flow.FlowCreatedEvent;
import io.herald.api.flow.FlowDefinition;
import io.herald.api.flow.FlowDraftUpdatedEvent;
import io.herald.api.flow.FlowPage;
import io.herald.api.flow.FlowPausedEvent;
import io.herald.api.flow.FlowRunsMovedEvent;
import io.herald.api.flow.FlowPublishedEvent;
import io.herald.api.flow.FlowResumedEvent;
import io.herald.api.flow.FlowStatus;
import io.herald.api.flow.FlowStoppedEvent;
import io.herald.api.flow.FlowSummaryView;
import io.herald.api.flow.FlowVersionView;
import io.herald.api.flow.FlowView;
import io.herald.query.QuerySideProcessing;
import io.herald.eventstore.database.Json;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The flow definitions read model: {@code flow_summary} (one row per flow: status, draft, latest
 * version) and {@code flow_version} (each published version, whole). Written in the flow command's
 * own transaction (group {@code flow-definitions}, subscribing), idempotent per event (a row
 * remembers the last sequence number applied; a version row is keyed by its number), rebuildable by replay.
 */
@Component
@ProcessingGroup(FlowProjection.PROCESSING_GROUP)
class FlowProjection {

    static final String PROCESSING_GROUP = QuerySideProcessing.FLOW_DEFINITIONS;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final TypeReference<FlowDefinition> DEFINITION = new TypeReference<>() {
    };

    private static final RowMapper<FlowSummaryView> SUMMARY = (rs, row) -> new FlowSummaryView(
            rs.getString("id"), rs.getString("name"), FlowStatus.valueOf(rs.getString("status")),
            rs.getInt("latest_version"), Json.read(rs.getString("draft"), DEFINITION).trigger(),
            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), rs.getLong("version"));

    private static final RowMapper<FlowVersionView> VERSION = (rs, row) -> new FlowVersionView(
            rs.getString("flow_id"), rs.getInt("version"), rs.getString("name"),
            Json.read(rs.getString("definition"), DEFINITION), rs.getTimestamp("published_at").toInstant(),
            rs.getString("published_by"));

    private final JdbcTemplate jdbc;

    FlowProjection(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @EventHandler
    void on(FlowCreatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("insert into flow_summary (id, name, status, trigger_type, draft, latest_version, created_at, "
                            + "updated_at, version) values (?, ?, ?, ?, ?::jsonb, 0, ?, ?, ?) on conflict (id) do nothing",
                    UUID.fromString(event.flowId()), event.name(), FlowStatus.DRAFT.name(), triggerType(event.draft()),
                    Json.write(event.draft()), java.sql.Timestamp.from(at), java.sql.Timestamp.from(at), sequence);
    }

    @EventHandler
    void on(FlowDraftUpdatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        change(event.flowId(), sequence, at, "name = ?, trigger_type = ?, draft = ?::jsonb", event.name(),
               triggerType(event.draft()), Json.write(event.draft()));
    }

    @EventHandler
    void on(FlowPublishedEvent event, @SequenceNumber long sequence, @Timestamp Instant at,
            @MetaDataValue(MetadataKeys.ACTOR) String actor) {
        jdbc.update("insert into flow_version (flow_id, version, name, definition, published_at, published_by) "
                            + "values (?, ?, ?, ?::jsonb, ?, ?) on conflict (flow_id, version) do nothing",
                    UUID.fromString(event.flowId()), event.version(), event.name(), Json.write(event.definition()),
                    java.sql.Timestamp.from(event.publishedAt()), actor);
        change(event.flowId(), sequence, at, "latest_version = greatest(latest_version, ?)", event.version());
    }

    @EventHandler
    void on(FlowActivatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        status(event.flowId(), sequence, at, FlowStatus.ACTIVE);
    }

    @EventHandler
    void on(FlowPausedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        status(event.flowId(), sequence, at, FlowStatus.PAUSED);
    }

    @EventHandler
    void on(FlowResumedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        status(event.flowId(), sequence, at, FlowStatus.ACTIVE);
    }

    /** Runs moved between versions: nothing to show here but the flow's new version (its ETag). */
    @EventHandler
    void on(FlowRunsMovedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        change(event.flowId(), sequence, at, "status = status");
    }

    @EventHandler
    void on(FlowArchivedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        status(event.flowId(), sequence, at, FlowStatus.ARCHIVED);
    }

    @EventHandler
    void on(FlowStoppedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        status(event.flowId(), sequence, at, FlowStatus.STOPPED);
    }

    @ResetHandler
    void reset() {
        jdbc.update("truncate flow_summary, flow_version");
    }

    private void status(String flowId, long sequence, Instant at, FlowStatus status) {
        change(flowId, sequence, at, "status = ?", status.name());
    }

    /** Applies {@code set} to the flow's row unless the row has seen this event already. */
    private void change(String flowId, long sequence, Instant at, String set, Object... values) {
        Object[] args = new Object[values.length + 4];
        System.arraycopy(values, 0, args, 0, values.length);
        args[values.length] = java.sql.Timestamp.from(at);
        args[values.length + 1] = sequence;
        args[values.length + 2] = UUID.fromString(flowId);
        args[values.length + 3] = sequence;
        jdbc.update("update flow_summary set " + set + ", updated_at = ?, version = ? where id = ? and version < ?", args);
    }

    private static String triggerType(FlowDefinition definition) {
        return definition.trigger() == null ? null : definition.trigger().type();
    }

    @QueryHandler
    FlowPage handle(FindFlowsQuery query) {
        int size = Math.clamp(query.size(), 1, 200);
        int page = Math.max(query.page(), 0);
        long total = jdbc.queryForObject("select count(*) from flow_summary", Long.class);
        List<FlowSummaryView> items = jdbc.query("select * from flow_summary order by updated_at desc, id limit ? offset ?",
                                                 SUMMARY, size, (long) page * size);
        return new FlowPage(items, page, size, total, (int) ((total + size - 1) / size));
    }

    @QueryHandler
    FlowView handle(FindFlowQuery query) {
        if (query.flowId() == null || !UUID_TEXT.matcher(query.flowId()).matches()) {
            return null;
        }
        UUID id = UUID.fromString(query.flowId());
        List<FlowView.VersionSummary> versions = jdbc.query(
                "select version, published_at, published_by from flow_version where flow_id = ? order by version desc",
                (rs, row) -> new FlowView.VersionSummary(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3)),
                id);
        List<FlowView> views = jdbc.query("select * from flow_summary where id = ?", (rs, row) -> new FlowView(
                rs.getString("id"), rs.getString("name"), FlowStatus.valueOf(rs.getString("status")),
                Json.read(rs.getString("draft"), DEFINITION), rs.getInt("latest_version"), versions,
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getLong("version")), id);
        return views.isEmpty() ? null : views.get(0);
    }

    @QueryHandler
    FlowVersionView handle(FindFlowVersionQuery query) {
        if (query.flowId() == null || !UUID_TEXT.matcher(query.flowId()).matches()) {
            return null;
        }
        List<FlowVersionView> views = jdbc.query("select * from flow_version where flow_id = ? and version = ?", VERSION,
                                                 UUID.fromString(query.flowId()), query.version());
        return views.isEmpty() ? null : views.get(0);
    }
}
