package io.herald.bench;

import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load generator: {@code clients} platform threads, each sending one operation,
 * waiting for its answer and sending the next. Operations that complete inside the measured window
 * count; their latency goes into an HdrHistogram (microseconds). Being closed-loop, the latencies
 * do not include the queueing an open-loop arrival rate would add (coordinated omission).
 */
final class LoadDriver {

    /** One client's connection/state; {@link #call} returns true on success (e.g. HTTP 201). */
    interface Client extends AutoCloseable {
        boolean call(long sequence) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    interface ClientFactory {
        Client open(int index) throws Exception;
    }

    /** The outcome of one measured run. */
    record Run(long operations, long errors, Duration elapsed, Histogram latencyMicros, long clientCpuNanos,
               String firstError) {

        double opsPerSecond() {
            return operations / (elapsed.toNanos() / 1e9);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private LoadDriver() {
    }

    /** Runs {@code clients} closed loops for {@code duration}; the connections are opened before the clock starts. */
    static Run run(ClientFactory factory, int clients, Duration duration) throws Exception {
        return run(factory, clients, duration, () -> { }, () -> { });
    }

    /**
     * As {@link #run(ClientFactory, int, Duration)}, calling {@code atStart} just before the clock
     * starts and {@code atEnd} just after the last client stopped, both while the clients'
     * connections are open (resource snapshots).
     */
    static Run run(ClientFactory factory, int clients, Duration duration, Runnable atStart, Runnable atEnd)
            throws Exception {
        List<Client> opened = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                opened.add(factory.open(i));
            }
            return drive(opened, duration, atStart, atEnd);
        } finally {
            for (Client client : opened) {
                try {
                    client.close();
                } catch (Exception ignored) {
                    // closing a benchmark connection
                }
            }
        }
    }

    private static Run drive(List<Client> clients, Duration duration, Runnable atStart, Runnable atEnd)
            throws InterruptedException {
        int n = clients.size();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        AtomicLong ops = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong cpu = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        Histogram total = new Histogram(60_000_000L, 3);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Client client = clients.get(i);
            Thread thread = new Thread(() -> {
                Histogram histogram = new Histogram(60_000_000L, 3);
                long myOps = 0;
                long myErrors = 0;
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long end = window[1];
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                while (true) {
                    long start = System.nanoTime();
                    if (start >= end) {
                        break;
                    }
                    boolean ok;
                    try {
                        ok = client.call(SEQUENCE.incrementAndGet());
                        if (!ok) {
                            firstError.compareAndSet(null, client.toString());
                        }
                    } catch (Exception e) {
                        ok = false;
                        firstError.compareAndSet(null, e.toString());
                    }
                    long finish = System.nanoTime();
                    if (finish > end) {
                        break; // completed after the window: not counted
                    }
                    if (ok) {
                        myOps++;
                        histogram.recordValue(Math.min(Math.max(1, (finish - start) / 1000), 60_000_000L));
                    } else {
                        myErrors++;
                    }
                }
                cpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuStart);
                ops.addAndGet(myOps);
                errors.addAndGet(myErrors);
                synchronized (total) {
                    total.add(histogram);
                }
                done.countDown();
            }, "bench-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        ready.await();
        atStart.run();
        window[0] = System.nanoTime();
        window[1] = window[0] + duration.toNanos();
        go.countDown(); // the latch publishes window[] to the client threads
        if (n == 0) {
            Thread.sleep(duration); // no clients: an idle window (background load only)
        }
        done.await();
        atEnd.run();
        for (Thread thread : threads) {
            thread.join();
        }
        return new Run(ops.get(), errors.get(), duration, total, cpu.get(), firstError.get());
    }
}
