package io.herald.saga.webhook;

import io.herald.api.webhook.DisableWebhookSubscriptionCommand;
import io.herald.api.webhook.WebhookEventTypes;
import io.herald.saga.channel.OutboundUrlGuard;
import io.herald.saga.delivery.FailureLog;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Drains the outbox: every {@code poll-interval}, and at once when this instance has queued messages
 * ({@link WebhookWakeUp}), it finds the subscriptions with due messages and works on each on a virtual thread of its
 * own (at most {@code max-subscriptions-in-flight} at once), so a slow or dead endpoint holds up only its own
 * messages. A subscription's messages are claimed in batches ({@code FOR UPDATE SKIP LOCKED}, so instances share the
 * work) with a lease long enough for two batches at the endpoint's timeout, the next batch claimed while one goes out,
 * sent at most {@code concurrency-per-subscription} at a time, and each batch's outcomes recorded together while the
 * next one goes out: each attempt in
 * {@code webhook_attempt}, the message delivered, rescheduled after the next retry delay, or dead-lettered into the
 * failure log after the last. A message whose claim ran out (its instance died) is sent again, with the same
 * {@code webhook-id}: at least once. A subscription whose attempts have all failed for {@code disable-after} is
 * disabled (a command: its event announces it).
 */
class WebhookSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final WebhookSecrets secrets;
    private final FailureLog failures;
    private final OutboundUrlGuard guard;
    private final CommandGateway commands;
    private final WebhookProperties properties;
    private final WebhookReplays replays;
    private final WebhookWakeUp wakeUp;
    private final Clock clock;
    private final HttpClient client;
    private final Set<String> working = ConcurrentHashMap.newKeySet();
    private ExecutorService workers;
    private Thread poller;
    private volatile boolean running;

    WebhookSender(DataSource dataSource, TransactionTemplate transactions, WebhookSecrets secrets, FailureLog failures,
                  OutboundUrlGuard guard, CommandGateway commands, WebhookProperties properties,
                  WebhookReplays replays, WebhookWakeUp wakeUp, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = transactions;
        this.secrets = secrets;
        this.failures = failures;
        this.guard = guard;
        this.commands = commands;
        this.properties = properties;
        this.replays = replays;
        this.wakeUp = wakeUp;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @Override
    public void start() {
        running = true;
        workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-sender-", 0).factory());
        poller = Thread.ofPlatform().daemon().name("webhook-poller").start(this::poll);
    }

    @Override
    public void stop() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000; // after the processors and the command bus are up, stopped before them
    }

    private void poll() {
        while (running) {
            if (replays.busy.compareAndSet(false, true)) {
                workers.submit(() -> {
                    try {
                        replays.runDue();
                    } catch (RuntimeException e) {
                        log.warn("A webhook replay failed; tried again shortly", e);
                    } finally {
                        replays.busy.set(false);
                    }
                });
            }
            try {
                for (String subscription : dueSubscriptions()) {
                    if (working.size() >= properties.maxSubscriptionsInFlight()) {
                        break;
                    }
                    if (working.add(subscription)) {
                        workers.submit(() -> {
                            boolean sent = false;
                            try {
                                sent = drain(subscription);
                            } catch (RuntimeException e) {
                                log.warn("Sending the webhook messages of subscription {} failed; tried again shortly",
                                         subscription, e);
                            } finally {
                                working.remove(subscription);
                            }
                            if (sent) {
                                // messages queued while its last claim found none: looked for at once, not after
                                // poll-interval (the wake-up of their commit came while it was still working)
                                wakeUp.wake();
                            }
                        });
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Looking for due webhook messages failed; looking again shortly", e);
                }
            }
            try {
                wakeUp.await(properties.pollInterval().toMillis()); // or at once when this instance queues messages
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private List<String> dueSubscriptions() {
        Timestamp now = Timestamp.from(clock.instant());
        // per subscription, one probe of the due index (not every due message read and made distinct)
        return jdbc.queryForList("select e.subscription_id from webhook_endpoint e where exists ("
                                         + "select 1 from webhook_message m where m.subscription_id = e.subscription_id "
                                         + "and (e.enabled or m.event_type = ?) and m.status in ('PENDING', 'SENDING') "
                                         + "and ((m.status = 'PENDING' and "
                                         + "m.next_attempt_at <= ?) or (m.status = 'SENDING' and m.lease_until < ?))) "
                                         + "limit 1000",
                                 String.class, WebhookEventTypes.WEBHOOK_TEST, now, now);
    }

    private record Claimed(String id, String type, Instant occurredAt, String data, int attempts) {
    }

    private record Outcome(Claimed message, boolean delivered, Integer status, String body, long millis,
                           String error, Instant at) {
    }

    private record Endpoint(String url, boolean enabled) {
    }

    /**
     * Sends the subscription's due messages, batch after batch, until none is due; true when it claimed any. The
     * batches overlap: the next one is claimed and queued behind the one going out, and a batch's outcomes are
     * recorded while the next one is sent, so the endpoint has {@code concurrency-per-subscription} requests in
     * flight all along and the database's round trips happen beside the requests, not between them. At most two
     * batches are claimed at a time.
     */
    boolean drain(String subscription) {
        Semaphore slots = new Semaphore(properties.concurrencyPerSubscription());
        Deque<List<Future<Outcome>>> underWay = new ArrayDeque<>(2);
        boolean claimedAny = false;
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService dispatch = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory())) {
            boolean more = true;
            while (more && running) {
                Endpoint endpoint = endpoint(subscription);
                List<Claimed> batch = endpoint == null ? List.of() : claim(subscription, endpoint.enabled());
                if (!batch.isEmpty()) {
                    underWay.add(start(subscription, endpoint.url(), batch, slots, requests, dispatch));
                    claimedAny = true;
                }
                more = !batch.isEmpty();
                while (underWay.size() > (more ? 1 : 0)) {
                    if (record(subscription, outcomes(underWay.poll()), true)) {
                        // disabled: what was claimed after goes out and is recorded, the rest waits until it is
                        // enabled again
                        more = false;
                        while (!underWay.isEmpty()) {
                            record(subscription, outcomes(underWay.poll()), false);
                        }
                    }
                }
            }
            while (!underWay.isEmpty()) { // stopping: what is under way is recorded all the same
                record(subscription, outcomes(underWay.poll()), true);
            }
        }
        return claimedAny;
    }

    private Endpoint endpoint(String subscription) {
        List<Endpoint> endpoints = jdbc.query("select url, enabled from webhook_endpoint where subscription_id = ?",
                                              (rs, row) -> new Endpoint(rs.getString(1), rs.getBoolean(2)),
                                              subscription);
        return endpoints.isEmpty() ? null : endpoints.get(0); // none: deleted
    }

    private List<Claimed> claim(String subscription, boolean enabled) {
        Instant now = clock.instant();
        int size = properties.batchSize();
        // a batch may wait behind the one claimed before it: the lease covers both going out at the endpoint's timeout
        long rounds = (2L * size + properties.concurrencyPerSubscription() - 1) / properties.concurrencyPerSubscription();
        Instant leaseUntil = now.plus(properties.lease()).plus(properties.timeout().multipliedBy(rounds));
        // the due messages, oldest due first, read in that order from the due index (webhook_message_due_idx: open
        // messages only), so a claim reads about one batch whatever the subscription's history (in sequence order,
        // through webhook_message_list_idx, it read past every message ever delivered: O(history) per claim)
        return jdbc.query("update webhook_message m set status = 'SENDING', lease_until = ? from ("
                                  + "select id from webhook_message where subscription_id = ? and (? or event_type = ?) "
                                  + "and status in ('PENDING', 'SENDING') "
                                  + "and ((status = 'PENDING' and next_attempt_at <= ?) or (status = 'SENDING' and "
                                  + "lease_until < ?)) order by next_attempt_at, sequence limit ? "
                                  + "for update skip locked) c "
                                  + "where m.id = c.id returning m.id, m.event_type, m.occurred_at, m.data::text, "
                                  + "m.attempts, m.sequence",
                          (rs, row) -> new Claimed(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                                                   rs.getString(4), rs.getInt(5)),
                          Timestamp.from(leaseUntil), subscription, enabled, WebhookEventTypes.WEBHOOK_TEST,
                          Timestamp.from(now), Timestamp.from(now), size);
    }

    /**
     * Starts sending a claimed batch: its messages go out in claim order, after those of the batches started before
     * it ({@code dispatch} has one thread), at most {@code slots} at a time. The futures complete with the outcomes.
     */
    private List<Future<Outcome>> start(String subscription, String url, List<Claimed> batch, Semaphore slots,
                                        ExecutorService requests, ExecutorService dispatch) {
        List<byte[]> keys = secrets.keys(subscription);
        URI uri;
        Optional<String> refused;
        try {
            uri = URI.create(url);
            refused = guard.refusal(uri);
        } catch (IllegalArgumentException e) {
            uri = null;
            refused = Optional.of("not a URL");
        }
        List<CompletableFuture<Outcome>> futures = new ArrayList<>(batch.size());
        batch.forEach(m -> futures.add(new CompletableFuture<>()));
        if (refused.isPresent() || keys.isEmpty()) {
            String error = refused.map(r -> "URL refused: " + r).orElse("no signing secret");
            Instant at = clock.instant();
            for (int i = 0; i < batch.size(); i++) {
                futures.get(i).complete(new Outcome(batch.get(i), false, null, null, 0, error, at));
            }
            return List.copyOf(futures);
        }
        URI target = uri;
        dispatch.execute(() -> {
            int i = 0;
            try {
                for (; i < batch.size(); i++) {
                    Claimed message = batch.get(i);
                    CompletableFuture<Outcome> outcome = futures.get(i);
                    slots.acquire();
                    try {
                        requests.execute(() -> {
                            try {
                                outcome.complete(sendOne(target, keys, message));
                            } catch (Throwable e) {
                                outcome.completeExceptionally(e);
                            } finally {
                                slots.release();
                            }
                        });
                    } catch (RejectedExecutionException e) {
                        slots.release();
                        throw e;
                    }
                }
            } catch (InterruptedException | RejectedExecutionException e) {
                // stopping: the rest is not sent now (recorded as a failed attempt, so it goes out again)
                Instant at = clock.instant();
                for (; i < batch.size(); i++) {
                    futures.get(i).complete(failed(batch.get(i), at, System.nanoTime(), "interrupted"));
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        return List.copyOf(futures);
    }

    private static List<Outcome> outcomes(List<Future<Outcome>> futures) {
        List<Outcome> outcomes = new ArrayList<>(futures.size());
        for (Future<Outcome> future : futures) {
            try {
                outcomes.add(future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while webhook messages were being sent", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("A webhook send failed unexpectedly", e.getCause());
            }
        }
        return outcomes;
    }

    /** The message's body: type, time and data, as signed and sent. */
    static String body(String type, Instant occurredAt, String data) {
        return "{\"type\":\"" + type + "\",\"timestamp\":\"" + DateTimeFormatter.ISO_INSTANT.format(occurredAt)
                + "\",\"data\":" + data + "}";
    }

    private Outcome sendOne(URI uri, List<byte[]> keys, Claimed message) {
        String body = body(message.type(), message.occurredAt(), message.data());
        Instant at = clock.instant();
        long timestamp = at.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Herald-Webhooks/1")
                .header("webhook-id", message.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.header(keys, message.id(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        long started = System.nanoTime();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String answer;
            try (InputStream in = response.body()) {
                byte[] first = in.readNBytes(properties.responseBodyBytes());
                answer = new String(first, StandardCharsets.UTF_8);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            int status = response.statusCode();
            return new Outcome(message, status >= 200 && status < 300, status, answer, millis, null, at);
        } catch (HttpConnectTimeoutException e) {
            return failed(message, at, started, "could not connect within " + properties.connectTimeout().toMillis()
                    + " ms");
        } catch (HttpTimeoutException e) {
            return failed(message, at, started, "no answer within " + properties.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return failed(message, at, started, "I/O error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(message, at, started, "interrupted");
        }
    }

    private static Outcome failed(Claimed message, Instant at, long started, String error) {
        return new Outcome(message, false, null, null, (System.nanoTime() - started) / 1_000_000, error, at);
    }

    /**
     * Records a batch's outcomes in one transaction; true when the subscription is disabled for them (only when
     * {@code mayDisable}: a batch recorded after the one that disabled it does not disable it again).
     */
    private boolean record(String subscription, List<Outcome> outcomes, boolean mayDisable) {
        Instant now = clock.instant();
        List<Duration> delays = properties.retryDelays();
        List<Object[]> attempts = new ArrayList<>(outcomes.size());
        List<String> deliveredIds = new ArrayList<>(outcomes.size());
        List<Integer> deliveredAttempts = new ArrayList<>(outcomes.size());
        List<Object[]> retried = new ArrayList<>();
        List<Outcome> dead = new ArrayList<>();
        boolean anyDelivered = false;
        boolean anyFailed = false;
        for (Outcome o : outcomes) {
            int attempt = o.message().attempts() + 1;
            Instant next = null;
            if (o.delivered()) {
                anyDelivered = true;
                deliveredIds.add(o.message().id());
                deliveredAttempts.add(attempt);
            } else {
                anyFailed = true;
                if (attempt <= delays.size()) {
                    next = now.plus(delays.get(attempt - 1));
                    retried.add(new Object[] {attempt, Timestamp.from(next), o.message().id()});
                } else {
                    dead.add(o);
                }
            }
            attempts.add(new Object[] {o.message().id(), subscription, attempt, o.delivered() ? "SUCCEEDED" : "FAILED",
                    o.status(), truncate(o.body(), 512), o.millis(), truncate(o.error(), 500), Timestamp.from(o.at()),
                    next == null ? null : Timestamp.from(next)});
        }
        boolean healthy = anyDelivered;
        boolean failing = anyFailed;
        Boolean disable = transactions.execute(tx -> {
            jdbc.batchUpdate("insert into webhook_attempt (message_id, subscription_id, attempt, status, response_code, "
                                     + "response_body, duration_ms, error, attempted_at, next_attempt_at) "
                                     + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", attempts);
            if (!deliveredIds.isEmpty()) { // one statement for the batch's deliveries
                jdbc.update("update webhook_message m set status = 'SUCCEEDED', attempts = u.attempts, "
                                    + "delivered_at = ?, lease_until = null from unnest(?::varchar[], ?::int[]) "
                                    + "as u(id, attempts) where m.id = u.id",
                            ps -> {
                                ps.setTimestamp(1, Timestamp.from(now));
                                ps.setArray(2, ps.getConnection().createArrayOf("varchar",
                                                                                deliveredIds.toArray()));
                                ps.setArray(3, ps.getConnection().createArrayOf("integer",
                                                                                deliveredAttempts.toArray()));
                            });
            }
            jdbc.batchUpdate("update webhook_message set status = 'PENDING', attempts = ?, next_attempt_at = ?, "
                                     + "lease_until = null where id = ?", retried);
            for (Outcome o : dead) {
                int attempt = o.message().attempts() + 1;
                jdbc.update("update webhook_message set status = 'FAILED', attempts = ?, lease_until = null "
                                    + "where id = ?", attempt, o.message().id());
                failures.logWebhook(subscription, o.message().id(), "webhook-dead-lettered",
                                    describe(o) + " (attempt " + attempt + ", the last)", attempt, "FAILED", null);
            }
            if (healthy) {
                jdbc.update("update webhook_endpoint set failing_since = null where subscription_id = ? "
                                    + "and failing_since is not null", subscription);
                return false;
            }
            if (!failing) {
                return false;
            }
            List<Timestamp> since = jdbc.queryForList(
                    "update webhook_endpoint set failing_since = coalesce(failing_since, ?) where subscription_id = ? "
                            + "returning failing_since", Timestamp.class, Timestamp.from(now), subscription);
            return !since.isEmpty() && !since.get(0).toInstant().plus(properties.disableAfter()).isAfter(now);
        });
        if (Boolean.TRUE.equals(disable) && mayDisable) {
            String reason = "every attempt failed for " + properties.disableAfter().toDays() + " days or more";
            commands.send(new DisableWebhookSubscriptionCommand(subscription, reason));
            return true;
        }
        return false;
    }

    private static String describe(Outcome o) {
        return o.status() != null ? "HTTP " + o.status() : o.error();
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
