package io.herald.command.contact;

import io.herald.api.common.DomainException;
import io.herald.api.common.MetadataKeys;
import io.herald.api.contact.FinishContactImportCommand;
import io.herald.api.contact.ImportContactBatchCommand;
import io.herald.api.contact.ImportRow;
import io.herald.api.contact.RejectedRow;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import io.herald.command.CommandSideProperties;
import io.herald.eventstore.database.SharedFiles;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the imports listed in {@code contact_import_job}, in the background. An instance takes an
 * import by holding a PostgreSQL advisory lock for it on a connection of its own: the lock goes
 * with that connection, so when an instance stops or dies another (or the same, restarted) takes
 * the import over at its next look and resumes after the last stored batch.
 * <p>
 * The file (shared by all instances in PostgreSQL, see {@link SharedFiles}) is streamed: one thread parses it ({@code batch-size} rows at a time, never the whole
 * file in memory) while this import's writer stores the previous batch, each in its own
 * transaction through {@link ImportContactBatchCommand}.
 * <p>
 * Off with {@code herald.imports.worker.enabled=false} (the api role): the imports uploaded to such an
 * instance are run by the instances that have the worker.
 */
@Component
@ConditionalOnProperty(name = "herald.imports.worker.enabled", havingValue = "true", matchIfMissing = true)
class ContactImportWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ContactImportWorker.class);
    private static final int ATTEMPTS = 3;

    private final ContactImportJobs jobs;
    private final SharedFiles files;
    private final DataSource dataSource;
    private final ObjectProvider<CommandGateway> commandGateway;
    private final int batchSize;
    private final Duration pollInterval;
    private final int concurrency;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private ScheduledExecutorService poller;
    private ExecutorService runners;

    ContactImportWorker(ContactImportJobs jobs, SharedFiles files, DataSource dataSource,
                        ObjectProvider<CommandGateway> commandGateway, CommandSideProperties properties) {
        this.jobs = jobs;
        this.files = files;
        this.dataSource = dataSource;
        this.commandGateway = commandGateway;
        this.batchSize = properties.imports().batchSize();
        this.pollInterval = properties.imports().pollInterval();
        this.concurrency = properties.imports().concurrency();
    }

    @Override
    public void start() {
        stopping = false;
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("herald-import-poller")
                                                                    .daemon().factory());
        runners = Executors.newFixedThreadPool(concurrency, Thread.ofPlatform().name("herald-import-", 0)
                .daemon().factory());
        jobs.onRegistered(this::wake);
        poller.scheduleWithFixedDelay(this::poll, 1000, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        stopping = true;
        jobs.onRegistered(() -> {
        });
        poller.shutdownNow();
        runners.shutdown();
        try {
            if (!runners.awaitTermination(30, TimeUnit.SECONDS)) {
                runners.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return poller != null && !poller.isShutdown();
    }

    /** Stops before the command bus and the database go away; starts after them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    void wake() {
        ScheduledExecutorService p = poller;
        if (p != null && !p.isShutdown()) {
            p.execute(this::poll);
        }
    }

    private void poll() {
        if (stopping) {
            return;
        }
        try {
            for (ContactImportJobs.Job job : jobs.unfinished()) {
                if (running.size() >= concurrency || stopping) {
                    return;
                }
                if (running.contains(job.importId())) {
                    continue;
                }
                Connection lock = dataSource.getConnection();
                boolean locked = false;
                try {
                    locked = tryLock(lock, job.importId());
                } finally {
                    if (!locked) {
                        lock.close();
                    }
                }
                if (locked) {
                    running.add(job.importId());
                    runners.execute(() -> {
                        try {
                            run(job.importId());
                        } finally {
                            running.remove(job.importId());
                            try {
                                lock.close(); // ends the session's advisory lock
                            } catch (SQLException e) {
                                log.debug("Closing the import lock connection failed", e);
                            }
                        }
                    });
                }
            }
        } catch (Exception e) {
            log.warn("Looking for imports to run failed", e);
        }
    }

    private static boolean tryLock(Connection connection, String importId) throws SQLException {
        UUID id = UUID.fromString(importId);
        try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
            statement.setLong(1, id.getMostSignificantBits() ^ id.getLeastSignificantBits());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private record Batch(long number, List<ImportRow> rows, List<RejectedRow> rejected, long lastRow) {
    }

    private static final Batch END = new Batch(-1, List.of(), List.of(), -1);

    private void run(String importId) {
        ContactImportJobs.Job job = jobs.find(importId); // fresh position, now that this instance holds the lock
        if (job == null) {
            return;
        }
        MetaData metaData = MetaData.with(MetadataKeys.ACTOR, job.actor() == null ? "system:import" : job.actor())
                .and(MetadataKeys.CORRELATION_ID, job.correlationId() == null ? importId : job.correlationId());
        String file = job.filePath(); // a shared file (postgresql:<id>) or a path on this instance's disk
        if (!files.exists(file)) {
            finish(importId, "The uploaded file is no longer available (" + file.substring(file.lastIndexOf('/') + 1)
                    + "); every batch stored before is kept", metaData);
            return;
        }
        log.info("Import {} runs from row {} (batch {})", importId, job.nextRow(), job.nextBatch());
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
        Thread parser = Thread.ofPlatform().name("herald-import-parser").daemon().start(() -> parse(job, file, queue));
        String failure = null;
        try {
            while (true) {
                Object next = queue.take();
                if (next == END) {
                    break;
                }
                if (next instanceof String parseFailure) {
                    failure = parseFailure;
                    break;
                }
                if (stopping) {
                    return; // stays unfinished: resumed by the next instance that takes it
                }
                store((Batch) next, importId, metaData);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            if (stopping) {
                return;
            }
            log.error("Import {} failed", importId, e);
            failure = "Storing a batch failed: " + e.getMessage();
        } finally {
            parser.interrupt();
        }
        finish(importId, failure, metaData);
        if (failure == null) {
            try {
                files.delete(file);
            } catch (IOException e) {
                log.warn("Could not delete the import file {}", file, e);
            }
        }
    }

    private void store(Batch batch, String importId, MetaData metaData) {
        for (int attempt = 1; ; attempt++) {
            try {
                commandGateway.getObject().sendAndWait(GenericCommandMessage.asCommandMessage(
                        new ImportContactBatchCommand(importId, batch.number(), batch.rows(), batch.rejected(),
                                                      batch.lastRow())).andMetaData(metaData));
                return;
            } catch (DomainException e) {
                throw e; // the import moved on without us (another worker) or ended: nothing to retry
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || stopping) {
                    throw e;
                }
                log.warn("Import {} batch {} failed (attempt {}), retrying: {}", importId, batch.number(), attempt,
                         e.toString());
            }
        }
    }

    private void finish(String importId, String failure, MetaData metaData) {
        commandGateway.getObject().sendAndWait(GenericCommandMessage.asCommandMessage(
                new FinishContactImportCommand(importId, failure)).andMetaData(metaData));
        log.info("Import {} {}", importId, failure == null ? "completed" : "failed: " + failure);
    }

    /** Reads the file from the job's position and hands batches to the writer; ends with END or a failure text. */
    private void parse(ContactImportJobs.Job job, String file, BlockingQueue<Object> queue) {
        try (Reader reader = open(file);
             CSVParser parser = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get().parse(reader)) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                queue.put(END);
                return;
            }
            List<String> header = stripBom(records.next().toList());
            ImportRowReader rows = new ImportRowReader(header, job.mapping());
            long batchNumber = job.nextBatch();
            List<ImportRow> parsed = new ArrayList<>(batchSize);
            List<RejectedRow> rejected = new ArrayList<>();
            long rowNumber = 1;
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    if (!parsed.isEmpty() || !rejected.isEmpty()) {
                        queue.put(new Batch(batchNumber, parsed, rejected, rowNumber));
                    }
                    queue.put("The file cannot be read past row " + rowNumber + " (" + rootMessage(e)
                                      + "); every row before it is stored");
                    return;
                }
                rowNumber++;
                if (rowNumber < job.nextRow()) {
                    continue; // stored by an earlier run
                }
                Object row = rows.read(record, rowNumber);
                if (row instanceof ImportRow r) {
                    parsed.add(r);
                } else {
                    rejected.add((RejectedRow) row);
                }
                if (parsed.size() + rejected.size() >= batchSize) {
                    queue.put(new Batch(batchNumber++, parsed, rejected, rowNumber));
                    parsed = new ArrayList<>(batchSize);
                    rejected = new ArrayList<>();
                }
            }
            if (!parsed.isEmpty() || !rejected.isEmpty()) {
                queue.put(new Batch(batchNumber, parsed, rejected, rowNumber));
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            try {
                queue.put("The file cannot be read: " + rootMessage(e));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Reader open(String file) throws IOException {
        InputStream in = new BufferedInputStream(files.open(file), 1 << 16);
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    static List<String> stripBom(List<String> header) {
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            List<String> copy = new ArrayList<>(header);
            copy.set(0, copy.get(0).substring(1));
            return copy;
        }
        return header;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
