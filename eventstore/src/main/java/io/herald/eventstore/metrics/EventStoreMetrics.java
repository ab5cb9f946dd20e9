package io.herald.eventstore.metrics;

import io.herald.eventstore.StoredEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.monitoring.MessageMonitor;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;

/**
 * The event store's metrics: {@code herald.eventstore.head} (the highest global index in the table, read at
 * most every 5 s: the primary key's last entry) and {@code herald.eventstore.appended} (events this instance
 * appended, counted when their transaction committed; its rate is the append rate). The reader thread's
 * state is the gateway's ({@code herald.eventstore.reader.*}, beside its health indicator).
 */
public final class EventStoreMetrics implements MeterBinder {

    public static final String HEAD = "herald.eventstore.head";
    public static final String APPENDED = "herald.eventstore.appended";

    private final Refreshing<Long> head;

    public EventStoreMetrics(DataSource dataSource, Clock clock) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        this.head = new Refreshing<>("the event store's head",
                () -> {
                    Long max = jdbc.queryForObject("SELECT max(global_index) FROM " + StoredEvents.TABLE, Long.class);
                    return max == null ? 0L : max;
                }, Duration.ofSeconds(5), clock);
    }

    /** The global index of the newest event (at most 5 s old), or null when it could not be read. */
    public Long head() {
        return head.get();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(HEAD, head, h -> h.number(Long::doubleValue))
                .description("Global index of the newest event in the event store (read at most every 5 s)")
                .register(registry);
    }

    /** Counts the events appended through the event store once their transaction has committed. */
    public static MessageMonitor<EventMessage<?>> appendCounter(MeterRegistry registry) {
        Counter appended = Counter.builder(APPENDED)
                .description("Events appended to the event store by this instance (committed)")
                .register(registry);
        return message -> new MessageMonitor.MonitorCallback() {
            @Override
            public void reportSuccess() {
                appended.increment();
            }

            @Override
            public void reportFailure(Throwable cause) {
            }

            @Override
            public void reportIgnored() {
            }
        };
    }
}
