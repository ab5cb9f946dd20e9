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
import io.herald.eventstore.work.WorkerRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the imports listed in {@code contact_import_job}, in the background. The import workers of all
 * instances share them through the platform's {@link WorkerRegistry}, like the delivery workers: this
 * worker registers an id with a lease ({@code herald.imports.lease}) that it renews every
 * {@code herald.imports.heartbeat}, and claims an import by writing its id on the import's row
 * ({@link ContactImportJobs#JOBS}); every batch and the end check in their transaction that the worker
 * still holds the import. When an instance stops it gives its imports back at once; when one dies
 * ({@code kill -9}, a lost host) its lease runs out and another instance (or the same, restarted) takes
 * its imports over at its next look and resumes after the last stored batch. With the embedded database a
 * restarted instance does so at its first look (a second after start): no other process can have used that
 * database, so the registry declares the old process's workers dead at once. With an external database
 * the takeover waits for the lease: at most {@code lease + poll-interval} (15 s by default) after the kill.
 * A worker that finds its lease lost (frozen longer than the lease) stops the imports it held, which
 * another worker has taken or will take over, and goes on under a new id.
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
    private final WorkerRegistry workers;
    private final ObjectProvider<CommandGateway> commandGateway;
    private final int batchSize;
    private final Duration pollInterval;
    private final int concurrency;
    private final Duration heartbeat;
    private final Duration lease;
    /** The imports this instance runs, each with the worker id it was claimed under. */
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    /** This worker's id in the registry; a new one after the lease was lost. */
    private volatile String workerId;
    private ScheduledExecutorService poller;
    private ScheduledExecutorService heartbeats;
    private ExecutorService runners;

    ContactImportWorker(ContactImportJobs jobs, SharedFiles files, WorkerRegistry workers,
                        ObjectProvider<CommandGateway> commandGateway, CommandSideProperties properties) {
        this.jobs = jobs;
        this.files = files;
        this.workers = workers;
        this.commandGateway = commandGateway;
        this.batchSize = properties.imports().batchSize();
        this.pollInterval = properties.imports().pollInterval();
        this.concurrency = properties.imports().concurrency();
        this.heartbeat = properties.imports().heartbeat();
        this.lease = properties.imports().lease();
    }

    @Override
    public void start() {
        stopping = false;
        workerId = WorkerRegistry.newWorkerId(ContactImportJobs.WORKER_KIND);
        workers.register(workerId, ContactImportJobs.WORKER_KIND, lease);
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("herald-import-poller")
                                                                    .daemon().factory());
        heartbeats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("herald-import-lease")
                                                                        .daemon().factory());
        runners = Executors.newFixedThreadPool(concurrency, Thread.ofPlatform().name("herald-import-", 0)
                .daemon().factory());
        jobs.onRegistered(this::wake);
        heartbeats.scheduleWithFixedDelay(this::renew, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        poller.scheduleWithFixedDelay(this::poll, 1000, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Import worker {} started", workerId);
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
        heartbeats.shutdownNow();
        // what it still holds is taken at once by the next worker that looks, not after the lease
        try {
            workers.release(ContactImportJobs.JOBS, workerId);
            workers.unregister(workerId);
        } catch (RuntimeException e) {
            log.warn("Import worker {} could not give its imports back (they are taken over once its lease has run "
                             + "out): {}", workerId, e.toString());
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

    /** Renews the lease on its own thread, so a long batch or look never lets it lapse. */
    private void renew() {
        String id = workerId;
        try {
            if (!workers.renew(id, lease)) {
                // declared dead while alive (frozen longer than the lease): its imports are another worker's now
                String next = WorkerRegistry.newWorkerId(ContactImportJobs.WORKER_KIND);
                workers.register(next, ContactImportJobs.WORKER_KIND, lease);
                workerId = next;
                log.warn("Import worker {} lost its lease; the imports it ran stop here and are taken over. Now {}", id,
                         next);
            }
        } catch (RuntimeException e) {
            log.warn("Import worker {} could not renew its lease: {}", id, e.toString());
        }
    }

    private synchronized void poll() {
        if (stopping) {
            return;
        }
        try {
            List<String> dead = workers.takeOverDead(ContactImportJobs.WORKER_KIND, ContactImportJobs.JOBS);
            if (!dead.isEmpty()) {
                log.warn("Import workers {} died (their lease ran out): {} takes over the imports they held", dead,
                         workerId);
            }
            for (ContactImportJobs.Job job : jobs.unfinished()) {
                if (running.size() >= concurrency || stopping) {
                    return;
                }
                if (running.containsKey(job.importId())) {
                    continue;
                }
                String claimer = workerId;
                if (workers.claim(ContactImportJobs.JOBS, UUID.fromString(job.importId()), claimer)) {
                    running.put(job.importId(), claimer);
                    runners.execute(() -> runClaimed(job.importId(), claimer));
                }
            }
        } catch (Exception e) {
            log.warn("Looking for imports to run failed", e);
        }
    }

    private void runClaimed(String importId, String claimer) {
        boolean finished = false;
        try {
            finished = run(importId, claimer);
        } finally {
            running.remove(importId);
            if (!finished) {
                try {
                    workers.release(ContactImportJobs.JOBS, UUID.fromString(importId), claimer);
                } catch (RuntimeException e) {
                    log.debug("Giving import {} back failed (taken over once the lease has run out)", importId, e);
                }
            }
        }
    }

    private record Batch(long number, List<ImportRow> rows, List<RejectedRow> rejected, long lastRow) {
    }

    private static final Batch END = new Batch(-1, List.of(), List.of(), -1);

    /** Runs a claimed import from its stored position; true when it ended (completed or failed). */
    private boolean run(String importId, String claimer) {
        ContactImportJobs.Job job = jobs.find(importId); // fresh position, now that this worker holds the import
        if (job == null) {
            return true;
        }
        MetaData metaData = MetaData.with(MetadataKeys.ACTOR, job.actor() == null ? "system:import" : job.actor())
                .and(MetadataKeys.CORRELATION_ID, job.correlationId() == null ? importId : job.correlationId());
        String file = job.filePath(); // a shared file (postgresql:<id>) or a path on this instance's disk
        if (!files.exists(file)) {
            return finish(importId, "The uploaded file is no longer available (" + file.substring(file.lastIndexOf('/') + 1)
                    + "); every batch stored before is kept", metaData, claimer);
        }
        log.info("Import {} runs from row {} (batch {}) on worker {}", importId, job.nextRow(), job.nextBatch(), claimer);
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
                if (stopping || !claimer.equals(workerId)) {
                    return false; // stays unfinished: resumed by the next worker that takes it
                }
                store((Batch) next, importId, metaData, claimer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (DomainException e) {
            if (e.code().equals(ContactImportJobs.LEASE_LOST) || e.code().equals("import.not-running")) {
                log.warn("Import {} stops on worker {}: {}", importId, claimer, e.getMessage());
                return false; // another worker has it (or it ended): nothing of it is this worker's any more
            }
            log.error("Import {} failed", importId, e);
            failure = "Storing a batch failed: " + e.getMessage();
        } catch (RuntimeException e) {
            if (stopping) {
                return false;
            }
            log.error("Import {} failed", importId, e);
            failure = "Storing a batch failed: " + e.getMessage();
        } finally {
            parser.interrupt();
        }
        boolean finished = finish(importId, failure, metaData, claimer);
        if (finished && failure == null) {
            try {
                files.delete(file);
            } catch (IOException e) {
                log.warn("Could not delete the import file {}", file, e);
            }
        }
        return finished;
    }

    private void store(Batch batch, String importId, MetaData metaData, String claimer) {
        for (int attempt = 1; ; attempt++) {
            try {
                commandGateway.getObject().sendAndWait(GenericCommandMessage.asCommandMessage(
                        new ImportContactBatchCommand(importId, batch.number(), batch.rows(), batch.rejected(),
                                                      batch.lastRow(), claimer)).andMetaData(metaData));
                return;
            } catch (DomainException e) {
                throw e; // another worker took the import over, or it ended: nothing to retry
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || stopping) {
                    throw e;
                }
                log.warn("Import {} batch {} failed (attempt {}), retrying: {}", importId, batch.number(), attempt,
                         e.toString());
            }
        }
    }

    /** Ends the import; false when this worker no longer holds it (another one ends it). */
    private boolean finish(String importId, String failure, MetaData metaData, String claimer) {
        try {
            commandGateway.getObject().sendAndWait(GenericCommandMessage.asCommandMessage(
                    new FinishContactImportCommand(importId, failure, claimer)).andMetaData(metaData));
        } catch (DomainException e) {
            if (e.code().equals(ContactImportJobs.LEASE_LOST) || e.code().equals("import.not-running")) {
                log.warn("Import {} is no longer worker {}'s: {}", importId, claimer, e.getMessage());
                return false;
            }
            throw e;
        }
        log.info("Import {} {}", importId, failure == null ? "completed" : "failed: " + failure);
        return true;
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
