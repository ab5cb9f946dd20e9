package io.herald.saga.webhook;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replays for subscriptions created with a {@code startFrom} in the past: the events stored from that moment up to
 * the subscription's creation (from there on the live feed queues them) are read from the event store, in chunks of
 * {@link #CHUNK}, and the messages they make are queued to that subscription alone. Each chunk is one transaction
 * holding the subscription's row ({@code FOR UPDATE SKIP LOCKED}: one instance at a time) with the position it
 * reached, so a replay interrupted by a stop goes on where it was. Messages are keyed by their event, so a chunk read
 * twice queues nothing twice. Replayed messages and live ones go out side by side, not in event order.
 */
class WebhookReplays {

    private static final Logger log = LoggerFactory.getLogger(WebhookReplays.class);
    static final int CHUNK = 1000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final EventStore eventStore;
    private final WebhookOutbox outbox;
    private final Clock clock;
    final AtomicBoolean busy = new AtomicBoolean();

    WebhookReplays(DataSource dataSource, TransactionTemplate transactions, EventStore eventStore, WebhookOutbox outbox,
                   Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = transactions;
        this.eventStore = eventStore;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Works on every replay that is not done, a chunk at a time, until each is done or finds nothing more. */
    void runDue() {
        for (String id : jdbc.queryForList("select subscription_id from webhook_endpoint where not backfill_done",
                                           String.class)) {
            while (Boolean.TRUE.equals(transactions.execute(tx -> chunk(id)))) {
                // next chunk
            }
        }
    }

    /** One chunk; true when there is more to read now. */
    private boolean chunk(String id) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select start_from, backfill_position, created_position, event_types from webhook_endpoint "
                        + "where subscription_id = ? and not backfill_done for update skip locked", id);
        if (rows.isEmpty()) {
            return false;
        }
        Map<String, Object> row = rows.get(0);
        Instant startFrom = ((Timestamp) row.get("start_from")).toInstant();
        Long position = row.get("backfill_position") == null ? null : ((Number) row.get("backfill_position")).longValue();
        long createdAt = ((Number) row.get("created_position")).longValue();
        Set<String> types;
        try {
            types = Set.of((String[]) ((Array) row.get("event_types")).getArray());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        TrackingToken from = position == null ? eventStore.createTokenAt(startFrom)
                : GapAwareTrackingToken.newInstance(position, Collections.emptySet());
        Instant now = clock.instant();
        long last = position == null ? -1 : position;
        boolean done = false;
        int read = 0;
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(from)) {
            while (read < CHUNK && stream.hasNextAvailable(2, TimeUnit.SECONDS)) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                long at = event.trackingToken().position().orElse(last);
                if (at >= createdAt) {
                    done = true;
                    break;
                }
                read++;
                last = at;
                for (WebhookEvents.Outgoing message : WebhookEvents.of(event.getPayload(), event.getIdentifier(),
                                                                       event.getTimestamp())) {
                    if (types.contains(message.type())) {
                        outbox.queueFor(id, message, now);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        jdbc.update("update webhook_endpoint set backfill_position = ?, backfill_done = ? where subscription_id = ?",
                    last < 0 ? null : last, done, id);
        if (done) {
            log.info("Webhook subscription {}: replay from {} done", id, startFrom);
        }
        return !done && read == CHUNK;
    }
}
