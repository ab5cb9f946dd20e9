package io.herald.query.segment;

import io.herald.api.segment.FindSegmentQuery;
import io.herald.api.segment.FindSegmentsQuery;
import io.herald.api.segment.SegmentCreatedEvent;
import io.herald.api.segment.SegmentDeletedEvent;
import io.herald.api.segment.SegmentPage;
import io.herald.api.segment.SegmentRule;
import io.herald.api.segment.SegmentUpdatedEvent;
import io.herald.api.segment.SegmentView;
import io.herald.query.QuerySideProcessing;
import io.herald.eventstore.database.Json;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** The segment definitions read model ({@code segment_definition}); deleted segments leave it. */
@Component
@ProcessingGroup(SegmentProjection.PROCESSING_GROUP)
class SegmentProjection {

    static final String PROCESSING_GROUP = QuerySideProcessing.AUDIENCE;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    static final RowMapper<SegmentView> VIEW = (rs, row) -> new SegmentView(
            rs.getString("id"), rs.getString("name"), rs.getString("description"),
            Json.read(rs.getString("rules"), new com.fasterxml.jackson.core.type.TypeReference<SegmentRule>() {
            }), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
            rs.getLong("version"));

    private final JdbcTemplate jdbc;
    private final QueryUpdateEmitter updateEmitter;

    SegmentProjection(DataSource dataSource, QueryUpdateEmitter updateEmitter) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.updateEmitter = updateEmitter;
    }

    @EventHandler
    void on(SegmentCreatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("insert into segment_definition (id, name, description, rules, created_at, updated_at, version) "
                            + "values (?, ?, ?, ?::jsonb, ?, ?, ?) on conflict (id) do nothing",
                    UUID.fromString(event.segmentId()), event.definition().name(), event.definition().description(),
                    Json.write(event.definition().rules()), time(at), time(at), sequence);
        emit(event.segmentId());
    }

    @EventHandler
    void on(SegmentUpdatedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("update segment_definition set name = ?, description = ?, rules = ?::jsonb, updated_at = ?, "
                            + "version = ? where id = ? and version < ?",
                    event.definition().name(), event.definition().description(), Json.write(event.definition().rules()),
                    time(at), sequence, UUID.fromString(event.segmentId()), sequence);
        emit(event.segmentId());
    }

    @EventHandler
    void on(SegmentDeletedEvent event) {
        jdbc.update("delete from segment_definition where id = ?", UUID.fromString(event.segmentId()));
    }

    @ResetHandler
    void reset() {
        jdbc.update("truncate segment_definition");
    }

    private void emit(String segmentId) {
        SegmentView view = find(segmentId);
        if (view != null) {
            updateEmitter.emit(FindSegmentQuery.class, q -> q.segmentId().equalsIgnoreCase(segmentId), view);
        }
    }

    SegmentView find(String segmentId) {
        if (segmentId == null || !UUID_TEXT.matcher(segmentId).matches()) {
            return null;
        }
        List<SegmentView> views = jdbc.query("select * from segment_definition where id = ?", VIEW,
                                             UUID.fromString(segmentId));
        return views.isEmpty() ? null : views.get(0);
    }

    /** Every segment's rules by id, for inlining membership conditions. */
    Map<String, SegmentRule> allRules() {
        Map<String, SegmentRule> rules = new HashMap<>();
        jdbc.query("select id, rules::text from segment_definition", rs -> {
            rules.put(rs.getString(1), Json.read(rs.getString(2), new com.fasterxml.jackson.core.type.TypeReference<>() {
            }));
        });
        return rules;
    }

    @QueryHandler
    SegmentView handle(FindSegmentQuery query) {
        return find(query.segmentId());
    }

    @QueryHandler
    SegmentPage handle(FindSegmentsQuery query) {
        int size = Math.clamp(query.size(), 1, 200);
        int page = Math.max(query.page(), 0);
        long total = jdbc.queryForObject("select count(*) from segment_definition", Long.class);
        List<SegmentView> items = jdbc.query("select * from segment_definition order by updated_at desc, id "
                                                     + "limit ? offset ?", VIEW, size, (long) page * size);
        return new SegmentPage(items, page, size, total, (int) ((total + size - 1) / size));
    }

    private static OffsetDateTime time(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
