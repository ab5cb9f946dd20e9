package io.herald.gateway.web;

import io.herald.api.common.MetadataKeys;
import io.herald.gateway.config.GatewayProperties;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's one write path: send a command, wait until the read model shows what it did
 * (read-your-writes), and answer.
 * <ul>
 *   <li>A read model written in the command's own transaction ({@link Resource#writtenInCommandTransaction()},
 *   e.g. campaigns) is there when the command returns: the answer is the view its projection emitted in
 *   that transaction, handed over once it committed ({@link CommittedUpdates}), or, when it emitted none
 *   (a command that changed nothing), the row read once.</li>
 *   <li>Otherwise the subscription query on the resource is opened before the command is sent, so the update
 *   the projection pushes (when this instance projected the event) cannot slip by unseen. Because
 *   the projection may run on another instance, and a command that changed nothing pushes nothing,
 *   the row is also re-read shortly after and then every {@code herald.read-your-writes.fallback-interval},
 *   until {@code herald.read-your-writes.timeout}.</li>
 *   <li>The answer is the view with {@code ETag: "<version>"} (the aggregate version, i.e. the
 *   sequence number of its last event) and, for 201, a {@code Location}; or 202 with only a
 *   {@code Location} when the read model did not catch up in time (the change itself is stored).</li>
 *   <li>{@code If-Match: "<version>"} travels with the command ({@link MetadataKeys#EXPECTED_VERSION});
 *   the aggregate refuses the command when it is at another version, which answers 412
 *   ({@code precondition.failed}). {@code If-Match: *} or no header: no expectation.</li>
 * </ul>
 */
@Component
public class WritePath {

    /** Code of the 412 answer to a stale {@code If-Match}. */
    public static final String PRECONDITION_FAILED = "precondition.failed";

    private static final Logger log = LoggerFactory.getLogger(WritePath.class);
    private static final Duration FIRST_REREAD = Duration.ofMillis(50);
    private static final Pattern STRONG_ETAG = Pattern.compile("^\"(\\d{1,18})\"$");

    /**
     * A kind of resource the API writes: where it lives ({@code /api/campaigns}), its view and the
     * query answering it by id, the view's version, and the 404 for an id that names nothing.
     */
    public record Resource<V>(String path, Class<V> type, Function<String, ?> query, ToLongFunction<V> versionOf,
                              Function<String, ? extends RuntimeException> notFound, boolean inCommandTransaction) {

        /** A resource whose read model a processor writes after the command (pooled: maybe on another instance). */
        public Resource(String path, Class<V> type, Function<String, ?> query, ToLongFunction<V> versionOf,
                        Function<String, ? extends RuntimeException> notFound) {
            this(path, type, query, versionOf, notFound, false);
        }

        /**
         * The same resource with its read model written in the command's own transaction (a subscribing
         * group): when the command returns, the row is there to read.
         */
        public Resource<V> writtenInCommandTransaction() {
            return new Resource<>(path, type, query, versionOf, notFound, true);
        }
    }

    private final CommandGateway commandGateway;
    private final QueryGateway queryGateway;
    private final CommittedUpdates committedUpdates;
    private final Duration timeout;
    private final Duration fallbackInterval;

    public WritePath(CommandGateway commandGateway, QueryGateway queryGateway, QueryUpdateEmitter queryUpdateEmitter,
                     GatewayProperties properties) {
        this.commandGateway = commandGateway;
        this.queryGateway = queryGateway;
        if (!(queryUpdateEmitter instanceof CommittedUpdates committed)) {
            throw new IllegalStateException("The query update emitter must be wrapped in CommittedUpdates (AxonConfiguration)");
        }
        this.committedUpdates = committed;
        this.timeout = properties.readYourWrites().timeout();
        this.fallbackInterval = properties.readYourWrites().fallbackInterval();
    }

    /**
     * Sends {@code command} to the resource {@code id} (already known) and answers with {@code status}
     * and the view at the version the command produced (or later), or 202.
     *
     * @param ifMatch the request's {@code If-Match} header, or null
     */
    public <V> ResponseEntity<V> send(Resource<V> resource, String id, Object command, @Nullable String ifMatch,
                                      HttpStatus status) {
        return reply(resource, id, sendAndAwait(resource, id, command, ifMatch), status);
    }

    /** Like {@link #send}, without building the answer: the view, or empty when the read model did not catch up. */
    public <V> Optional<V> sendAndAwait(Resource<V> resource, String id, Object command, @Nullable String ifMatch) {
        Long expected = expectedVersion(ifMatch);
        Object message = expected == null ? command
                : GenericCommandMessage.asCommandMessage(command)
                        .andMetaData(Map.of(MetadataKeys.EXPECTED_VERSION, expected));
        return await(resource, id, FIRST_REREAD, () -> {
            try {
                Object result = commandGateway.sendAndWait(message);
                return result instanceof Number n ? n.longValue() : 0L;
            } catch (AggregateNotFoundException e) {
                throw resource.notFound().apply(id);
            }
        });
    }

    /**
     * For a command already sent whose result named the resource (an upsert finds or creates it):
     * answers with the view at {@code version} or later. The first read is immediate, since the
     * projection's push may have come before the subscription.
     */
    public <V> ResponseEntity<V> sent(Resource<V> resource, String id, long version, HttpStatus status) {
        return reply(resource, id, await(resource, id, Duration.ZERO, () -> version), status);
    }

    /**
     * Sends a command that removes the resource and waits (re-reading every 20 ms, up to the
     * timeout) until the read model no longer shows it.
     */
    public <V> void sendAndAwaitGone(Resource<V> resource, String id, Object command, @Nullable String ifMatch) {
        Long expected = expectedVersion(ifMatch);
        Object message = expected == null ? command
                : GenericCommandMessage.asCommandMessage(command)
                        .andMetaData(Map.of(MetadataKeys.EXPECTED_VERSION, expected));
        try {
            commandGateway.sendAndWait(message);
        } catch (AggregateNotFoundException e) {
            throw resource.notFound().apply(id);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && find(resource, id) != null) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** 202 with the resource's {@code Location}, and the view as the body when there is one (no ETag). */
    public <V> ResponseEntity<V> accepted(Resource<V> resource, String id, Optional<V> view) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.accepted().location(location(resource, id));
        return view.map(builder::body).orElseGet(builder::build);
    }

    /** The view with its ETag (and Location when 201), or 202 with the Location when there is no view. */
    <V> ResponseEntity<V> reply(Resource<V> resource, String id, Optional<V> view, HttpStatus status) {
        URI location = location(resource, id);
        return view.map(v -> {
                    ResponseEntity.BodyBuilder builder = ResponseEntity.status(status)
                            .eTag(etag(resource.versionOf().applyAsLong(v)));
                    if (status == HttpStatus.CREATED) {
                        builder.location(location);
                    }
                    return builder.body(v);
                })
                .orElseGet(() -> ResponseEntity.<V>accepted().location(location).build());
    }

    /** The ETag of a resource at {@code version}: the version as a strong entity tag, {@code "3"}. */
    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an {@code If-Match} header expects: null for no header or {@code *}; the number of
     * one strong ETag of ours. Any other value (a weak or foreign tag, a list) can never be the
     * resource's current ETag: 412, nothing is sent.
     */
    @Nullable
    public static Long expectedVersion(@Nullable String ifMatch) {
        if (ifMatch == null || ifMatch.strip().equals("*")) {
            return null;
        }
        Matcher matcher = STRONG_ETAG.matcher(ifMatch.strip());
        if (!matcher.matches()) {
            throw preconditionFailed("If-Match must be * or one ETag this API answered, like \"3\"");
        }
        return Long.parseLong(matcher.group(1));
    }

    static ApiException preconditionFailed(String message) {
        return new ApiException(HttpStatus.PRECONDITION_FAILED, PRECONDITION_FAILED, message);
    }

    private <V> Optional<V> await(Resource<V> resource, String id, Duration firstReread, LongSupplier command) {
        Object query = resource.query().apply(id);
        if (resource.inCommandTransaction()) {
            try (CommittedUpdates.Capture<V> committed = committedUpdates.capture(query, resource.type())) {
                long version = command.getAsLong();
                V view = committed.latest();
                if (view != null && resource.versionOf().applyAsLong(view) >= version) {
                    return Optional.of(view);
                }
                return readAfter(resource, id, version);
            }
        }
        try (SubscriptionQueryResult<V, V> result = queryGateway.subscriptionQuery(
                query, ResponseTypes.instanceOf(resource.type()), ResponseTypes.instanceOf(resource.type()))) {
            long version = command.getAsLong();
            Flux<V> reread = Flux.interval(firstReread, fallbackInterval)
                    .concatMap(tick -> Mono.fromFuture(() -> queryGateway.query(
                            query, ResponseTypes.instanceOf(resource.type()))));
            V view = Flux.merge(result.updates(), reread)
                    .filter(v -> resource.versionOf().applyAsLong(v) >= version)
                    .next()
                    .timeout(timeout, Mono.empty())
                    .block();
            if (view == null) {
                log.warn("{} {} did not reach version {} within {}", resource.path(), id, version, timeout);
            }
            return Optional.ofNullable(view);
        }
    }

    /**
     * A read model written in the command's transaction: one read. Only while its group runs as a
     * processor instead (a rebuild) can the row be behind; then it is re-read every
     * {@code fallback-interval} until the timeout.
     */
    private <V> Optional<V> readAfter(Resource<V> resource, String id, long version) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            V view = find(resource, id);
            if (view != null && resource.versionOf().applyAsLong(view) >= version) {
                return Optional.of(view);
            }
            if (System.nanoTime() >= deadline) {
                log.warn("{} {} did not reach version {} within {}", resource.path(), id, version, timeout);
                return Optional.empty();
            }
            try {
                Thread.sleep(Math.min(fallbackInterval.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private <V> V find(Resource<V> resource, String id) {
        return queryGateway.query(resource.query().apply(id), ResponseTypes.instanceOf(resource.type())).join();
    }

    private static URI location(Resource<?> resource, String id) {
        return URI.create(resource.path() + "/" + id);
    }
}
