package io.herald.query.contact;

import io.herald.api.contact.ContactImportBatchProcessedEvent;
import io.herald.api.contact.ContactImportCompletedEvent;
import io.herald.api.contact.ContactImportFailedEvent;
import io.herald.api.contact.ContactImportStartedEvent;
import io.herald.api.contact.ContactImportView;
import io.herald.api.contact.FindContactImportQuery;
import io.herald.api.contact.FindContactImportRejectionsQuery;
import io.herald.api.contact.ImportMode;
import io.herald.api.contact.ImportState;
import io.herald.api.contact.RejectedRow;
import io.herald.query.QuerySideProcessing;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Progress of CSV imports ({@code contact_import}) and their rejected rows ({@code contact_import_rejection}). */
@Component
@ProcessingGroup(ContactImportProjection.PROCESSING_GROUP)
class ContactImportProjection {

    static final String PROCESSING_GROUP = QuerySideProcessing.AUDIENCE;
    static final int REJECTIONS_IN_VIEW = 100;

    private final JdbcTemplate jdbc;

    ContactImportProjection(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @EventHandler
    void on(ContactImportStartedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("insert into contact_import (id, state, file_name, file_size, mode, started_at, updated_at, version) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing",
                    UUID.fromString(event.importId()), ImportState.RUNNING.name(), event.fileName(), event.fileSize(),
                    event.mode().name(), time(at), time(at), sequence);
    }

    @EventHandler
    void on(ContactImportBatchProcessedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        int changed = jdbc.update("update contact_import set rows_read = rows_read + ?, created = created + ?, "
                                          + "updated = updated + ?, rejected = rejected + ?, updated_at = ?, version = ? "
                                          + "where id = ? and version < ?",
                                  event.rowsRead(), event.created(), event.updated(), event.rejected(), time(at),
                                  sequence, UUID.fromString(event.importId()), sequence);
        if (changed == 1 && event.rejections() != null && !event.rejections().isEmpty()) {
            jdbc.batchUpdate("insert into contact_import_rejection (import_id, row_number, code, reason) "
                                     + "values (?, ?, ?, ?) on conflict do nothing", event.rejections(), 500,
                             (statement, row) -> {
                                 statement.setObject(1, UUID.fromString(event.importId()));
                                 statement.setLong(2, row.rowNumber());
                                 statement.setString(3, clip(row.code(), 64));
                                 statement.setString(4, clip(row.reason(), 1000));
                             });
        }
    }

    @EventHandler
    void on(ContactImportCompletedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        finish(event.importId(), ImportState.COMPLETED, null, sequence, at);
    }

    @EventHandler
    void on(ContactImportFailedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        finish(event.importId(), ImportState.FAILED, event.reason(), sequence, at);
    }

    private void finish(String importId, ImportState state, String reason, long sequence, Instant at) {
        jdbc.update("update contact_import set state = ?, failure_reason = ?, finished_at = ?, updated_at = ?, "
                            + "version = ? where id = ? and version < ?",
                    state.name(), clip(reason, 2000), time(at), time(at), sequence, UUID.fromString(importId), sequence);
    }

    @ResetHandler
    void reset() {
        jdbc.update("truncate contact_import, contact_import_rejection");
    }

    @QueryHandler
    ContactImportView handle(FindContactImportQuery query) {
        if (!ContactRows.isUuid(query.importId())) {
            return null;
        }
        UUID id = UUID.fromString(query.importId());
        List<RejectedRow> rejections = rejections(id, 0, REJECTIONS_IN_VIEW);
        List<ContactImportView> views = jdbc.query(
                "select * from contact_import where id = ?",
                (rs, row) -> new ContactImportView(
                        rs.getString("id"), ImportState.valueOf(rs.getString("state")), rs.getString("file_name"),
                        rs.getLong("file_size"), ImportMode.valueOf(rs.getString("mode")), rs.getLong("rows_read"),
                        rs.getLong("created"), rs.getLong("updated"), rs.getLong("rejected"),
                        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("updated_at")),
                        instant(rs.getTimestamp("finished_at")), rs.getString("failure_reason"), rejections),
                id);
        return views.isEmpty() ? null : views.get(0);
    }

    @QueryHandler
    List<RejectedRow> handle(FindContactImportRejectionsQuery query) {
        if (!ContactRows.isUuid(query.importId())) {
            return List.of();
        }
        return rejections(UUID.fromString(query.importId()), query.afterRow(), Math.clamp(query.limit(), 1, 10_000));
    }

    private List<RejectedRow> rejections(UUID importId, long afterRow, int limit) {
        return jdbc.query("select row_number, code, reason from contact_import_rejection "
                                  + "where import_id = ? and row_number > ? order by row_number limit ?",
                          (rs, row) -> new RejectedRow(rs.getLong(1), rs.getString(2), rs.getString(3)),
                          importId, afterRow, limit);
    }

    private static OffsetDateTime time(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
