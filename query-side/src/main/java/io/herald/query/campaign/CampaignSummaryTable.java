package io.herald.query.campaign;

import com.fasterxml.jackson.core.type.TypeReference;
import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.CampaignPage;
import io.herald.api.campaign.CampaignStatus;
import io.herald.api.campaign.CampaignView;
import io.herald.api.campaign.Channel;
import io.herald.eventstore.database.Json;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code campaign_summary} table: one row per campaign, shaped for the campaign list and details,
 * remembering the sequence number of the last event applied ({@code version}). Plain JDBC, one
 * statement per change, each returning the row as it now is: the projection runs in every campaign
 * command's transaction, so its cost is the write path's (an ORM's session, dirty checking and flush
 * were a sixth of a create's CPU; BENCHMARKS.md).
 */
class CampaignSummaryTable {

    private static final String COLUMNS = "id, name, channel, content, segment_id, throttle_per_second, transactional, template, status, "
            + "send_at, time_zone, created_at, updated_at, launched_at, finished_at, failure_reason, failure_detail, "
            + "version";
    private static final TypeReference<CampaignContent> CONTENT = new TypeReference<>() {
    };
    private static final RowMapper<CampaignView> VIEW = CampaignSummaryTable::view;

    private final JdbcTemplate jdbc;

    CampaignSummaryTable(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** A new campaign's row, or empty when the row is there already (a replay). */
    Optional<CampaignView> insert(String id, CampaignDefinition definition, Instant at, long version) {
        return jdbc.query("insert into campaign_summary (" + COLUMNS + ") "
                                  + "values (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, null, null, ?, ?, null, null, null, null, ?) "
                                  + "on conflict (id) do nothing returning " + COLUMNS, VIEW,
                          id, definition.name(), definition.channel().name(), Json.write(definition.content()),
                          definition.segmentId(), definition.throttlePerSecond(), definition.policyExempt(),
                          definition.markedAsTemplate(), CampaignStatus.DRAFT.name(),
                          Timestamp.from(at), Timestamp.from(at), version)
                .stream().findFirst();
    }

    /**
     * Applies {@code assignments} (a SQL {@code set} list with its {@code arguments}) and stamps the
     * event's time and sequence number, unless the row has seen that event already (then empty).
     *
     * @throws IllegalStateException when the campaign has no row (an event before its creation)
     */
    Optional<CampaignView> change(String id, long sequence, Instant at, String assignments, Object... arguments) {
        List<Object> all = new ArrayList<>(java.util.Arrays.asList(arguments)); // arguments may be null
        all.add(Timestamp.from(at));
        all.add(sequence);
        all.add(id);
        all.add(sequence);
        Optional<CampaignView> changed = jdbc.query(
                "update campaign_summary set " + assignments + ", updated_at = ?, version = ? "
                        + "where id = ? and version < ? returning " + COLUMNS, VIEW, all.toArray()).stream().findFirst();
        if (changed.isEmpty() && find(id).isEmpty()) {
            throw new IllegalStateException("No campaign_summary row for " + id + " at sequence " + sequence);
        }
        return changed;
    }

    Optional<CampaignView> find(String id) {
        return jdbc.query("select " + COLUMNS + " from campaign_summary where id = ?", VIEW, id).stream().findFirst();
    }

    /**
     * Newest change first (then by id); {@code statuses} empty: every status; {@code template} null: templates and
     * others alike.
     */
    CampaignPage page(Set<CampaignStatus> statuses, Boolean template, int page, int size) {
        List<String> conditions = new ArrayList<>();
        List<Object> filter = new ArrayList<>();
        if (!statuses.isEmpty()) {
            conditions.add("status = any (?)");
            filter.add(statuses.stream().map(Enum::name).toArray(String[]::new));
        }
        if (template != null) {
            conditions.add(template ? "template" : "not template");
        }
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        long total = jdbc.queryForObject("select count(*) from campaign_summary" + where, Long.class,
                                         filter.toArray());
        List<Object> arguments = new ArrayList<>(filter);
        arguments.add(size);
        arguments.add((long) page * size);
        List<CampaignView> views = jdbc.query("select " + COLUMNS + " from campaign_summary" + where
                                                      + " order by updated_at desc, id limit ? offset ?",
                                              VIEW, arguments.toArray());
        int pages = (int) ((total + size - 1) / size);
        return new CampaignPage(views, page, size, total, pages);
    }

    void deleteAll() {
        jdbc.update("delete from campaign_summary");
    }

    private static CampaignView view(ResultSet row, int number) throws SQLException {
        String zone = row.getString("time_zone");
        String throttle = row.getString("throttle_per_second");
        return new CampaignView(row.getString("id"), row.getString("name"), Channel.valueOf(row.getString("channel")),
                                Json.read(row.getString("content"), CONTENT), row.getString("segment_id"),
                                throttle == null ? null : Integer.valueOf(throttle), row.getBoolean("transactional"),
                                row.getBoolean("template"),
                                CampaignStatus.valueOf(row.getString("status")), instant(row, "send_at"),
                                zone == null ? null : ZoneId.of(zone), instant(row, "created_at"),
                                instant(row, "updated_at"), instant(row, "launched_at"), instant(row, "finished_at"),
                                row.getString("failure_reason"), row.getString("failure_detail"),
                                row.getLong("version"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
