package io.herald.bench.throttle;

import io.herald.api.campaign.Channel;
import io.herald.saga.delivery.SendThrottle;
import io.herald.saga.throttle.BucketSendThrottle;
import io.herald.saga.throttle.InMemoryTokenBuckets;
import io.herald.saga.throttle.RedisTokenBuckets;
import io.herald.saga.throttle.TokenBuckets;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * The send-rate throttle (issue "Delivery"): {@code benchmarks/run.sh --scenario throttle [options]}.
 * A channel limit of {@code --rate} messages per second (200) for {@code --duration} (30 s), worker
 * threads calling {@code acquire(EMAIL, campaign, null, --wanted)} in a closed loop and counting the
 * permits they get, no actual sends:
 * <ul>
 *   <li>one instance on Redis: one throttle, {@code --threads} threads;</li>
 *   <li>two instances on Redis: two throttles, each on a Redis client (connection) of its own and
 *       with {@code --threads} threads of its own, drawing from the one shared bucket;</li>
 *   <li>one instance without Redis (buckets in the process);</li>
 *   <li>the no-limit path: acquire() calls per second when no rate applies.</li>
 * </ul>
 * Reported: permits per second over the whole run and the deviation from the limit, the lowest and
 * highest of the one-second windows, acquire() calls, and the CPU this JVM used. The two instances
 * run in this one JVM (two clients, two connections): the sharing is through Redis all the same.
 */
public final class ThrottleBenchmark {

    private record Options(String redisUrl, long rate, Duration duration, int threads, int wanted) {

        static Options parse(String[] args) {
            String redis = System.getenv().getOrDefault("HERALD_REDIS_URL", "");
            if (redis.isBlank()) {
                redis = "redis://127.0.0.1:6379";
            }
            long rate = 200;
            Duration duration = Duration.ofSeconds(30);
            int threads = 8;
            int wanted = 10;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (arg) {
                    case "--scenario" -> i++;
                    case "--redis" -> { redis = value; i++; }
                    case "--rate" -> { rate = Long.parseLong(value); i++; }
                    case "--duration" -> { duration = parseDuration(value); i++; }
                    case "--threads" -> { threads = Integer.parseInt(value); i++; }
                    case "--wanted" -> { wanted = Integer.parseInt(value); i++; }
                    case "--help", "-h" -> {
                        System.out.println("""
                                Usage: benchmarks/run.sh --scenario throttle [options]
                                  --redis URL      [HERALD_REDIS_URL, else redis://127.0.0.1:6379]
                                  --rate N         channel limit, messages per second   [200]
                                  --duration D     per case (30s, 500ms)                [30s]
                                  --threads N      worker threads per instance          [8]
                                  --wanted N       permits asked per acquire()          [10]
                                """);
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + arg + " (see --help)");
                }
            }
            return new Options(redis, rate, duration, threads, wanted);
        }

        private static Duration parseDuration(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t.replace("s", "")) * 1000));
        }
    }

    private record Result(String name, int instances, long permits, long calls, double seconds, long minWindow,
                          long maxWindow, double cpuSeconds) {
        double rate() {
            return permits / seconds;
        }
    }

    private static volatile long blackhole;

    private final Options options;
    private final List<String> report = new ArrayList<>();
    private final List<RedisClient> clients = new ArrayList<>();
    private final String prefix = "herald-bench:throttle:" + UUID.randomUUID() + ":";

    private ThrottleBenchmark(Options options) {
        this.options = options;
    }

    public static boolean wants(String[] args) {
        String scenario = null;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--scenario")) {
                scenario = args[i + 1];
            }
        }
        return "throttle".equals(scenario);
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Options options = Options.parse(args);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        ThrottleBenchmark benchmark = new ThrottleBenchmark(options);
        try {
            benchmark.run();
        } finally {
            benchmark.clients.forEach(RedisClient::shutdown);
        }
        Path out = Path.of("benchmarks/target/throttle-" + stamp + ".md");
        Files.createDirectories(out.getParent());
        Files.write(out, benchmark.report);
        System.out.println("\nWritten to " + out);
        System.exit(0);
    }

    private void run() throws Exception {
        log("Send throttle benchmark: limit " + options.rate() + "/s on the email channel, "
                    + options.duration().toMillis() + " ms per case, " + options.threads()
                    + " threads per instance calling acquire(wanted " + options.wanted() + "); Redis "
                    + options.redisUrl() + "; " + Runtime.getRuntime().availableProcessors() + " vCPU, Java "
                    + System.getProperty("java.version"));
        List<Result> results = new ArrayList<>();
        // a short unmeasured round first: class loading, the JIT and the first Redis connection
        measure("warm-up", List.of(throttle(redisBuckets())), Duration.ofSeconds(2), false);
        results.add(measure("Redis, 1 instance", List.of(throttle(redisBuckets())), options.duration(), true));
        results.add(measure("Redis, 2 instances", List.of(throttle(redisBuckets()), throttle(redisBuckets())),
                            options.duration(), true));
        results.add(measure("in memory, 1 instance", List.of(throttle(new InMemoryTokenBuckets())),
                            options.duration(), true));

        log("");
        log("| case | instances × threads | permits | achieved rate | deviation from " + options.rate()
                    + "/s | lowest / highest 1-s window | acquire() calls | CPU of this JVM |");
        log("|---|---|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            log(String.format(Locale.ROOT, "| %s | %d × %d | %,d in %.1f s | %.1f/s | %+.2f %% | %d / %d | %,d | %.2f s (%.1f %% of a core) |",
                              r.name(), r.instances(), options.threads(), r.permits(), r.seconds(), r.rate(),
                              (r.rate() / options.rate() - 1) * 100, r.minWindow(), r.maxWindow(), r.calls(),
                              r.cpuSeconds(), r.cpuSeconds() / r.seconds() * 100));
        }
        log("");
        unlimitedPath();
    }

    private TokenBuckets redisBuckets() {
        RedisClient client = RedisClient.create(RedisURI.create(options.redisUrl()));
        client.setOptions(ClientOptions.builder()
                                  .autoReconnect(true)
                                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                  .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofMillis(250)).build())
                                  .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(250)))
                                  .build());
        clients.add(client);
        return new RedisTokenBuckets(client, prefix);
    }

    private BucketSendThrottle throttle(TokenBuckets buckets) {
        long rate = options.rate();
        return new BucketSendThrottle(buckets, channel -> channel == Channel.EMAIL ? rate : 0);
    }

    private Result measure(String name, List<? extends SendThrottle> instances, Duration duration, boolean print)
            throws Exception {
        String campaign = "campaign-" + UUID.randomUUID();
        LongAdder permits = new LongAdder();
        LongAdder calls = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] end = new long[1];
        for (int i = 0; i < instances.size(); i++) {
            SendThrottle throttle = instances.get(i);
            for (int t = 0; t < options.threads(); t++) {
                Thread worker = Thread.ofPlatform().name("throttle-" + i + "-" + t).start(() -> {
                    try {
                        start.await();
                        while (System.nanoTime() < end[0]) {
                            permits.add(throttle.acquire(Channel.EMAIL, campaign, null, options.wanted()));
                            calls.increment();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                workers.add(worker);
            }
        }
        double cpuBefore = cpuSeconds();
        long started = System.nanoTime();
        end[0] = started + duration.toNanos();
        start.countDown();
        // one-second windows, read by this thread
        long minWindow = Long.MAX_VALUE;
        long maxWindow = 0;
        long previous = 0;
        long nextTick = started + 1_000_000_000L;
        while (nextTick <= end[0]) {
            Thread.sleep(Math.max(0, (nextTick - System.nanoTime()) / 1_000_000));
            long now = permits.sum();
            minWindow = Math.min(minWindow, now - previous);
            maxWindow = Math.max(maxWindow, now - previous);
            previous = now;
            nextTick += 1_000_000_000L;
        }
        for (Thread worker : workers) {
            worker.join();
        }
        // the last acquire() of each thread may end after the deadline: count the time until the last returned
        double seconds = (System.nanoTime() - started) / 1e9;
        Result result = new Result(name, instances.size(), permits.sum(), calls.sum(), seconds,
                                   minWindow == Long.MAX_VALUE ? 0 : minWindow, maxWindow, cpuSeconds() - cpuBefore);
        if (print) {
            log(String.format(Locale.ROOT, "  %s: %,d permits in %.2f s = %.1f/s (%+.2f %%), 1-s windows %d..%d, %,d acquire() calls",
                              name, result.permits(), seconds, result.rate(), (result.rate() / options.rate() - 1) * 100,
                              result.minWindow(), result.maxWindow(), result.calls()));
        }
        return result;
    }

    /** What acquire() costs when no rate applies (the worker calls it before every group of sends). */
    private void unlimitedPath() throws Exception {
        BucketSendThrottle throttle = new BucketSendThrottle(new InMemoryTokenBuckets(), channel -> 0);
        long sink = 0;
        for (int i = 0; i < 2_000_000; i++) {
            sink += throttle.acquire(Channel.EMAIL, "c", null, 10);
        }
        long calls = 0;
        long started = System.nanoTime();
        long end = started + 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                sink += throttle.acquire(Channel.EMAIL, "c", null, 10);
            }
            calls += 10_000;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        blackhole = sink;
        log(String.format(Locale.ROOT, "No limit configured: %,.0f acquire() calls/s on one thread (%.1f ns each)",
                          calls / seconds, seconds * 1e9 / calls));
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private void log(String line) {
        System.out.println(line);
        report.add(line);
    }
}
