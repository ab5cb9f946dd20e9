package io.herald.saga.delivery;

import io.herald.eventstore.metrics.Refreshing;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;

/**
 * The work waiting in the shared tables, as gauges read at most every 5 s with one query each, however often
 * they are scraped (README, "Metrics"): {@code herald.deliveries.pending} (recipients waiting to be sent,
 * retries waiting for their time included), {@code herald.deliveries.sending} (claimed by a worker, outcome not
 * yet recorded), {@code herald.webhook.backlog} (the webhook channel's pending and sending recipients) and
 * {@code herald.flow.runs.due} (live flow runs whose time has come, not yet advanced by a flow worker).
 * <p>
 * The tables are shared, so every instance would report the same numbers: these are registered where a
 * delivery worker runs (roles {@code worker} and {@code all}), and a dashboard takes their maximum over
 * instances, not their sum. Counting the pending rows reads the partial index {@code delivery_pending_idx}.
 */
public final class BacklogMetrics implements MeterBinder {

    public static final String PENDING = "herald.deliveries.pending";
    public static final String SENDING = "herald.deliveries.sending";
    public static final String WEBHOOK_BACKLOG = "herald.webhook.backlog";
    public static final String FLOW_RUNS_DUE = "herald.flow.runs.due";

    static final Duration MAX_AGE = Duration.ofSeconds(5);

    record Deliveries(long pending, long sending, long webhook) {
    }

    private final Refreshing<Deliveries> deliveries;
    private final Refreshing<Long> flowRunsDue;

    public BacklogMetrics(DataSource dataSource, Clock clock) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        this.deliveries = new Refreshing<>("the pending deliveries", () -> jdbc.query("""
                select d.status, r.channel, count(*) as n
                  from delivery d join campaign_run r on r.campaign_id = d.campaign_id
                 where d.status in ('PENDING', 'SENDING')
                 group by d.status, r.channel""", rows -> {
            long pending = 0;
            long sending = 0;
            long webhook = 0;
            while (rows.next()) {
                long n = rows.getLong("n");
                if ("PENDING".equals(rows.getString("status"))) {
                    pending += n;
                } else {
                    sending += n;
                }
                if ("WEBHOOK".equals(rows.getString("channel"))) {
                    webhook += n;
                }
            }
            return new Deliveries(pending, sending, webhook);
        }), MAX_AGE, clock);
        this.flowRunsDue = new Refreshing<>("the flow runs due", () -> jdbc.queryForObject(
                "select count(*) from flow_run where state in ('ACTIVE', 'WAITING') and due_at <= now()",
                Long.class), MAX_AGE, clock);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(PENDING, deliveries, d -> d.number(Deliveries::pending))
                .description("Campaign recipients waiting to be sent (retries waiting for their time included)")
                .register(registry);
        Gauge.builder(SENDING, deliveries, d -> d.number(Deliveries::sending))
                .description("Campaign recipients claimed by a delivery worker whose outcome is not recorded yet")
                .register(registry);
        Gauge.builder(WEBHOOK_BACKLOG, deliveries, d -> d.number(Deliveries::webhook))
                .description("Webhook-channel recipients pending or being sent")
                .register(registry);
        Gauge.builder(FLOW_RUNS_DUE, flowRunsDue, f -> f.number(Long::doubleValue))
                .description("Live flow runs whose next step is due and not yet taken by a flow worker")
                .register(registry);
    }
}
