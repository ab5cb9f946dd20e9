package io.herald.eventstore;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.eventstore.support.TestDatabases;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring over Axon's JDBC engine on a real PostgreSQL, which (unlike the in-memory engine) makes
 * gaps: writers commit out of global-index order and some roll back, the ring has four slots so
 * readers are lapped and read on their own, readers restart their streams, and the whole store is
 * shut down and replaced under them while they read. Each reader must see every committed event
 * exactly once, checked against the table.
 */
class PostgresRingSoakIT {

    private static final int RING = 4;
    private static final int WRITERS = 5;
    private static final int READERS = 4;
    private static final Duration WRITE_FOR = Duration.ofSeconds(15);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static final Duration STORE_LIFETIME = Duration.ofMillis(1_500);

    private HikariDataSource dataSource;
    private DataSourceTransactionManager transactions;
    private JdbcEventStorageEngine engine;
    private final AtomicReference<RingBufferEventStore> current = new AtomicReference<>();
    private final List<RingBufferEventStore> stores = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(TestDatabases.newDatabase());
        dataSource.setMaximumPoolSize(WRITERS + READERS + 6);
        transactions = new DataSourceTransactionManager(dataSource);
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        engine = JdbcEventStorageEngine.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .transactionManager(new SpringTransactionManager(transactions))
                .schema(new AxonSchemaConfiguration().eventSchema())
                .dataType(byte[].class)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .batchSize(7) // reads page through several queries
                .build();
        engine.createSchema(PostgresEventTableFactory.INSTANCE);
        current.set(newStore());
    }

    private RingBufferEventStore newStore() {
        RingBufferEventStore store = RingBufferEventStore.builder().storageEngine(engine)
                .cachedEvents(RING).fetchDelay(Duration.ofMillis(20)).build();
        stores.add(store);
        return store;
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        stores.forEach(RingBufferEventStore::shutDown);
        dataSource.close();
    }

    @Test
    void everyReaderSeesEveryCommittedEventExactlyOnce_underGapsLapsRestartsAndShutdowns() throws Exception {
        long writeUntil = System.nanoTime() + WRITE_FOR.toNanos();
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger rolledBack = new AtomicInteger();
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(threads.submit(() -> write(writer, writeUntil, committed, rolledBack)));
        }
        AtomicInteger expected = new AtomicInteger(-1);
        List<Reader> readers = new ArrayList<>();
        List<Future<?>> reading = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            Reader reader = new Reader(r);
            readers.add(reader);
            reading.add(threads.submit(() -> reader.run(expected)));
        }
        Future<?> restarter = threads.submit(() -> restartStores(writeUntil));

        for (Future<?> writer : writers) {
            writer.get(WRITE_FOR.toSeconds() + 20, TimeUnit.SECONDS);
        }
        restarter.get(10, TimeUnit.SECONDS);
        Map<String, Long> positions = new HashMap<>();
        new JdbcTemplate(dataSource).query(
                "SELECT " + StoredEvents.EVENT_ID + ", " + StoredEvents.GLOBAL_INDEX + " FROM " + StoredEvents.TABLE,
                row -> {
                    positions.put(row.getString(1), row.getLong(2));
                });
        List<String> table = List.copyOf(positions.keySet());
        expected.set(table.size());
        for (Future<?> r : reading) {
            r.get(CATCH_UP.toSeconds() + 10, TimeUnit.SECONDS);
        }

        assertThat(committed.get()).as("events committed").isEqualTo(table.size()).isGreaterThan(200);
        assertThat(rolledBack.get()).as("transactions rolled back (gaps)").isPositive();
        Set<String> stored = new HashSet<>(table);
        for (Reader reader : readers) {
            assertThat(reader.failures).as("reader %d failures", reader.number).isEmpty();
            Map<String, Long> counts = reader.seen.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                    .as("reader %d: events seen twice", reader.number).isEmpty();
            Set<String> seen = new HashSet<>(reader.seen);
            assertThat(stored.stream().filter(id -> !seen.contains(id)).toList())
                    .as("reader %d: committed events it never saw", reader.number).isEmpty();
            assertThat(seen.stream().filter(id -> !stored.contains(id)).toList())
                    .as("reader %d: events it saw that are not in the table", reader.number).isEmpty();
            // each event came with its global index, however its token was advanced (in order, or filling a gap)
            assertThat(reader.positions.entrySet().stream()
                               .filter(e -> !e.getValue().equals(positions.get(e.getKey())))
                               .map(e -> e.getKey() + " at " + e.getValue() + ", stored at " + positions.get(e.getKey()))
                               .toList())
                    .as("reader %d: events given a position not theirs", reader.number).isEmpty();
        }
        assertThat(readers.stream().mapToInt(r -> r.restarts).sum()).as("stream restarts").isPositive();
    }

    private Void write(int writer, long until, AtomicInteger committed, AtomicInteger rolledBack) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int n = 0;
        while (System.nanoTime() < until) {
            List<EventMessage<?>> events = new ArrayList<>();
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                events.add(GenericEventMessage.asEventMessage("w" + writer + "-" + n++));
            }
            TransactionStatus transaction = transactions.getTransaction(TransactionDefinition.withDefaults());
            try {
                // the store appends within the open transaction (and wakes its reader before the commit)
                current.get().publish(events);
                Thread.sleep(random.nextInt(12)); // commit after writers that took later global indexes
                if (random.nextInt(8) == 0) {
                    transactions.rollback(transaction);
                    rolledBack.incrementAndGet();
                } else {
                    transactions.commit(transaction);
                    committed.addAndGet(events.size());
                }
            } finally {
                if (!transaction.isCompleted()) {
                    transactions.rollback(transaction);
                }
            }
        }
        return null;
    }

    /** Shuts the store down under its readers and puts a new one in its place, while the writers write. */
    private Void restartStores(long until) throws InterruptedException {
        while (System.nanoTime() < until) {
            Thread.sleep(STORE_LIFETIME.toMillis());
            RingBufferEventStore old = current.getAndSet(newStore());
            old.shutDown();
        }
        return null;
    }

    private final class Reader {

        final int number;
        final List<String> seen = new ArrayList<>();
        final Map<String, Long> positions = new HashMap<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        int restarts;

        Reader(int number) {
            this.number = number;
        }

        /** Reads until it has seen as many events as the table holds (once the writers are done), or time is up. */
        Void run(AtomicInteger expected) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long deadline = System.nanoTime() + WRITE_FOR.toNanos() + CATCH_UP.toNanos();
            TrackingToken last = null;
            RingBufferEventStore storeOfStream = null;
            TrackingEventStream stream = null;
            while (System.nanoTime() < deadline && !(expected.get() >= 0 && seen.size() >= expected.get())) {
                try {
                    RingBufferEventStore store = current.get();
                    if (stream == null || storeOfStream != store) {
                        if (stream != null) {
                            stream.close();
                        }
                        stream = store.openStream(last);
                        storeOfStream = store;
                    }
                    if (stream.hasNextAvailable(20, TimeUnit.MILLISECONDS)) {
                        TrackedEventMessage<?> event = stream.nextAvailable();
                        seen.add(event.getIdentifier());
                        positions.put(event.getIdentifier(), PositionedEvent.positionOf(event));
                        last = event.trackingToken();
                        int dice = random.nextInt(1_000);
                        if (dice < 15 + number * 10) {
                            Thread.sleep(1 + random.nextInt(5)); // falls behind the ring now and then
                        } else if (dice >= 995) {
                            stream.close(); // restarts its stream from its token
                            stream = null;
                            restarts++;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Throwable e) {
                    failures.add(e);
                    if (stream != null) {
                        stream.close();
                    }
                    stream = null;
                }
            }
            if (stream != null) {
                stream.close();
            }
            return null;
        }
    }
}
