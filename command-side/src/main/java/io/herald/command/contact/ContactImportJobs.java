package io.herald.command.contact;

import io.herald.api.common.DomainException;
import io.herald.api.contact.ContactImportMapping;
import io.herald.api.contact.ImportMode;
import io.herald.eventstore.work.WorkTable;
import io.herald.eventstore.work.WorkerRegistry;
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
 * The imports that are not finished (table {@code contact_import_job}): where each one's file is, the
 * next batch and row to process, and the import worker that holds it (a worker of the
 * {@link WorkerRegistry}; null while none does). Registered with the import's start, advanced in the
 * transaction of every batch, removed with its end; the import workers claim and run what is listed
 * here, also after a restart. Every write of a worker for an import (a batch, the end) first checks in
 * its transaction that the worker still holds the import, so a worker declared dead while it went on
 * never stores anything for an import another worker has taken over.
 */
@Component
public class ContactImportJobs {

    /** The workers' kind in the registry. */
    static final String WORKER_KIND = "contact-import";
    /** The unit of work: one import's job row. */
    static final WorkTable JOBS = new WorkTable("contact_import_job", "import_id", "worker_id");
    /** The code of the refusal of a worker that no longer holds the import. */
    public static final String LEASE_LOST = "import.lease-lost";

    /** One unfinished import. */
    public record Job(String importId, String filePath, ImportMode mode, ContactImportMapping mapping, long nextBatch,
                      long nextRow, String actor, String correlationId) {
    }

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final WorkerRegistry workers;
    private volatile Runnable onRegistered = () -> {
    };

    public ContactImportJobs(DataSource dataSource, Serializer serializer, WorkerRegistry workers) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.serializer = serializer;
        this.workers = workers;
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

    /** Every unfinished import, oldest first (each one held by a worker or waiting for one). */
    public List<Job> unfinished() {
        return jdbc.query("select * from contact_import_job order by created_at", this::job);
    }

    public Job find(String importId) {
        List<Job> jobs = jdbc.query("select * from contact_import_job where import_id = ?", this::job,
                                    UUID.fromString(importId));
        return jobs.isEmpty() ? null : jobs.get(0);
    }

    /**
     * Locks the import's row for the caller's transaction and returns its mode, when {@code workerId} holds
     * the import and {@code batch} is its next one; refuses it otherwise (finished, taken over by another
     * worker, or a stale or repeated batch).
     */
    public ImportMode lockForBatch(String importId, long batch, String workerId) {
        checkHeld(importId, workerId);
        List<Object[]> rows = jdbc.query("select mode, next_batch from contact_import_job where import_id = ?",
                                         (rs, i) -> new Object[]{rs.getString(1), rs.getLong(2)},
                                         UUID.fromString(importId));
        if ((long) rows.get(0)[1] != batch) {
            throw new DomainException(DomainException.Kind.CONFLICT, "import.batch.out-of-order", "Import " + importId
                    + " expects batch " + rows.get(0)[1] + ", not " + batch);
        }
        return ImportMode.valueOf((String) rows.get(0)[0]);
    }

    /**
     * Locks the import's row for the caller's transaction and refuses when {@code workerId} does not hold it
     * (another worker took it over) or it is gone (finished).
     */
    public void checkHeld(String importId, String workerId) {
        if (!workers.holds(JOBS, UUID.fromString(importId), workerId)) {
            if (find(importId) == null) {
                throw new DomainException(DomainException.Kind.CONFLICT, "import.not-running",
                                          "Import " + importId + " is not running");
            }
            throw new DomainException(DomainException.Kind.CONFLICT, LEASE_LOST, "Import " + importId
                    + " is no longer held by worker " + workerId + " (its lease ran out and another took it over)");
        }
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
