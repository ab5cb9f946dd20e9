package io.herald.command.contact;

import io.herald.api.contact.ContactImportMapping;
import io.herald.api.contact.ImportMode;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.List;
import java.util.UUID;

/**
 * The imports that are not finished (table {@code contact_import_job}): where each one's file is and
 * the next batch and row to process. Registered with the import's start, advanced in the
 * transaction of every batch, removed with its end; the import worker runs what is listed here,
 * also after a restart.
 */
@Component
public class ContactImportJobs {

    /** One unfinished import. */
    public record Job(String importId, String filePath, ImportMode mode, ContactImportMapping mapping, long nextBatch,
                      long nextRow, String actor, String correlationId) {
    }

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private volatile Runnable onRegistered = () -> {
    };

    public ContactImportJobs(DataSource dataSource, Serializer serializer) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.serializer = serializer;
    }

    void onRegistered(Runnable listener) {
        this.onRegistered = listener;
    }

    public void register(String importId, String filePath, ImportMode mode, ContactImportMapping mapping, String actor,
                         String correlationId) {
        SerializedObject<byte[]> serialized = serializer.serialize(mapping, byte[].class);
        jdbc.update("insert into contact_import_job (import_id, file_path, mode, mapping, actor, correlation_id) "
                            + "values (?, ?, ?, ?, ?, ?)",
                    UUID.fromString(importId), filePath, mode.name(), serialized.getData(), actor, correlationId);
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> onRegistered.run());
        } else {
            onRegistered.run();
        }
    }

    public List<Job> unfinished() {
        return jdbc.query("select * from contact_import_job order by created_at", this::job);
    }

    public Job find(String importId) {
        List<Job> jobs = jdbc.query("select * from contact_import_job where import_id = ?", this::job,
                                    UUID.fromString(importId));
        return jobs.isEmpty() ? null : jobs.get(0);
    }

    /**
     * Locks the import's row for the caller's transaction and returns its mode, when {@code batch}
     * is the import's next one; refuses it otherwise (finished, or a stale or repeated worker).
     */
    public ImportMode lockForBatch(String importId, long batch) {
        List<Object[]> rows = jdbc.query("select mode, next_batch from contact_import_job where import_id = ? for update",
                                         (rs, i) -> new Object[]{rs.getString(1), rs.getLong(2)},
                                         UUID.fromString(importId));
        if (rows.isEmpty()) {
            throw new io.herald.api.common.DomainException(io.herald.api.common.DomainException.Kind.CONFLICT,
                                                          "import.not-running", "Import " + importId + " is not running");
        }
        if ((long) rows.get(0)[1] != batch) {
            throw new io.herald.api.common.DomainException(io.herald.api.common.DomainException.Kind.CONFLICT,
                                                          "import.batch.out-of-order", "Import " + importId
                                                                  + " expects batch " + rows.get(0)[1] + ", not " + batch);
        }
        return ImportMode.valueOf((String) rows.get(0)[0]);
    }

    public void advance(String importId, long nextBatch, long nextRow) {
        jdbc.update("update contact_import_job set next_batch = ?, next_row = ? where import_id = ?",
                    nextBatch, nextRow, UUID.fromString(importId));
    }

    public void remove(String importId) {
        jdbc.update("delete from contact_import_job where import_id = ?", UUID.fromString(importId));
    }

    private Job job(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        ContactImportMapping mapping = serializer.deserialize(new SimpleSerializedObject<>(
                rs.getBytes("mapping"), byte[].class, ContactImportMapping.class.getName(), null));
        return new Job(rs.getString("import_id"), rs.getString("file_path"), ImportMode.valueOf(rs.getString("mode")),
                       mapping, rs.getLong("next_batch"), rs.getLong("next_row"), rs.getString("actor"),
                       rs.getString("correlation_id"));
    }
}
