package io.herald.bench;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The receiving end of the webhook benchmarks: a real HTTP server on 127.0.0.1 (JDK {@code HttpServer} on virtual
 * threads) answering 200 {@code {}} at once, counting per path the requests, how often each Idempotency-Key came
 * and when the first and the last request arrived. {@link #rawRate} is its yardstick: the rate at which it accepts
 * requests of a Herald webhook's size and headers from a plain load generator.
 */
public final class WebhookSink implements AutoCloseable {

    /** The path of {@link #rawRate}'s requests (their keys are not recorded). */
    public static final String BASELINE_PATH = "/baseline";

    /** One request as it arrived: {@code nanos} is {@link System#nanoTime()} when its body had been read. */
    public record Received(String path, String key, String body, long nanos) {
    }

    /** What arrived at one path. */
    public static final class PathCounts {
        private final AtomicLong requests = new AtomicLong();
        private final Map<String, AtomicInteger> keys = new ConcurrentHashMap<>();
        private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

        private void add(String key, long nanos, boolean recordKey) {
            requests.incrementAndGet();
            if (key != null && recordKey) {
                keys.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
            first.accumulateAndGet(nanos, Math::min);
            last.accumulateAndGet(nanos, Math::max);
        }

        public long requests() {
            return requests.get();
        }

        public long distinctKeys() {
            return keys.size();
        }

        /** Keys that arrived more than once. */
        public long repeatedKeys() {
            return keys.values().stream().filter(n -> n.get() > 1).count();
        }

        /** {@link System#nanoTime()} of the first request, {@link Long#MAX_VALUE} before any. */
        public long firstNanos() {
            return first.get();
        }

        /** {@link System#nanoTime()} of the last request, {@link Long#MIN_VALUE} before any. */
        public long lastNanos() {
            return last.get();
        }
    }

    /** {@link #rawRate}'s outcome: requests sent, seconds taken, requests sent again after a closed connection. */
    public record RawRate(long requests, double seconds, long resent) {
        public double perSecond() {
            return requests / seconds;
        }
    }

    private static final PathCounts NONE = new PathCounts();

    private final HttpServer server;
    private final Map<String, PathCounts> paths = new ConcurrentHashMap<>();
    private volatile Consumer<Received> listener;

    public WebhookSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            long nanos = System.nanoTime();
            String path = exchange.getRequestURI().getPath();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            paths.computeIfAbsent(path, p -> new PathCounts()).add(key, nanos, !path.equals(BASELINE_PATH));
            Consumer<Received> to = listener;
            if (to != null) {
                to.accept(new Received(path, key, new String(body, StandardCharsets.UTF_8), nanos));
            }
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    /** Called for every request after it was counted, on the request's thread (null: none). */
    public void listener(Consumer<Received> listener) {
        this.listener = listener;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public PathCounts at(String path) {
        return paths.getOrDefault(path, NONE);
    }

    public long count(String path) {
        return at(path).requests();
    }

    public long keys(String path) {
        return at(path).distinctKeys();
    }

    /**
     * The sink's raw rate: {@code requests} requests like a Herald webhook's (a JSON body of ~120 bytes,
     * Content-Type, Idempotency-Key and Herald-Signature headers) to {@link #BASELINE_PATH} from a plain load generator
     * (Java HttpClient over HTTP/1.1, {@code concurrency} threads each with one request at a time). A request whose
     * kept-alive connection the sink closed is sent again, as a load generator would (at most 5 times).
     */
    public RawRate rawRate(int requests, int concurrency) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String target = url(BASELINE_PATH);
        String body = "{\"hello\":\"Name\",\"id\":\"" + UUID.randomUUID() + "\",\"campaign\":\"bench\"}";
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicLong next = new AtomicLong();
        AtomicLong resent = new AtomicLong();
        long started = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < concurrency; t++) {
                futures.add(pool.submit(() -> {
                    long i;
                    while ((i = next.getAndIncrement()) < requests) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json").header("Idempotency-Key", "b:" + i)
                                .header("Herald-Signature", "t=1,v1=00")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        for (int attempt = 0; ; attempt++) {
                            try {
                                http.send(request, HttpResponse.BodyHandlers.discarding());
                                break;
                            } catch (IOException e) {
                                resent.incrementAndGet();
                                if (attempt == 5) {
                                    throw e;
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new RawRate(requests, (System.nanoTime() - started) / 1e9, resent.get());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
