package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.delivery.CampaignProgressView;
import io.herald.api.delivery.DeliveryPage;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.api.delivery.DeliveryStatsView;
import io.herald.api.delivery.FindDeliveryStatsQuery;
import io.herald.api.delivery.DeliveryView;
import io.herald.api.delivery.FailurePage;
import io.herald.api.delivery.FailureView;
import io.herald.api.delivery.FindCampaignProgressQuery;
import io.herald.api.delivery.FindContactDeliveriesQuery;
import io.herald.api.delivery.FindDeliveriesQuery;
import io.herald.api.delivery.FindFailuresQuery;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Progress, delivery records and the failure log, straight from the delivery tables. */
@Component
public class DeliveryQueryHandler {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final String DELIVERY_COLUMNS = "d.campaign_id, d.contact_id, r.channel, d.status, d.reason, "
            + "d.attempts, d.provider_message_id, d.last_error, d.created_at, d.updated_at, d.sent_at, d.next_attempt_at";

    private static final RowMapper<DeliveryView> DELIVERY = (rs, row) -> new DeliveryView(
            rs.getString(1), rs.getString(2), rs.getString(3) == null ? null : Channel.valueOf(rs.getString(3)),
            DeliveryStatus.valueOf(rs.getString(4)), rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8),
            instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11)),
            instant(rs.getTimestamp(12)));

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DeliveryQueryHandler(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    @QueryHandler
    public CampaignProgressView handle(FindCampaignProgressQuery query) {
        return progress(query.campaignId());
    }

    /** The progress of a campaign, or null when it never launched. */
    public CampaignProgressView progress(String campaignId) {
        List<CampaignProgressView> found = jdbc.query(
                "select campaign_id, channel, state, paused, frozen, audience, sent, failed, skipped, unknown, "
                        + "rate_per_second, window_started_at, window_count, launched_at, frozen_at, finished_at, "
                        + "updated_at from campaign_run where campaign_id = ?",
                (rs, row) -> {
                    long audience = rs.getLong(6);
                    long sent = rs.getLong(7);
                    long failed = rs.getLong(8);
                    long skipped = rs.getLong(9);
                    long unknown = rs.getLong(10);
                    long finished = sent + failed + skipped + unknown;
                    long remaining = Math.max(0, audience - finished);
                    boolean stopping = "CANCELLING".equals(rs.getString(3)) || "FAILING".equals(rs.getString(3));
                    String state = rs.getBoolean(4) && !"DONE".equals(rs.getString(3))
                                   && !stopping ? "PAUSED" : rs.getString(3);
                    if (stopping && remaining == 0) {
                        state = "DONE"; // every recipient settled; the worker marks the run in a moment
                    }
                    double rate = rs.getDouble(11);
                    Instant windowStart = instant(rs.getTimestamp(12));
                    if (rate == 0 && windowStart != null) {
                        double seconds = Math.max(0.5, (clock.millis() - windowStart.toEpochMilli()) / 1000.0);
                        rate = rs.getLong(13) / seconds;
                    }
                    boolean frozen = rs.getBoolean(5);
                    Long eta = !frozen || rate <= 0 || "DONE".equals(state) ? null : (long) Math.ceil(remaining / rate);
                    double percent = CampaignProgressView.percentOf(finished, audience, frozen);
                    return new CampaignProgressView(rs.getString(1),
                                                    rs.getString(2) == null ? null : Channel.valueOf(rs.getString(2)),
                                                    state, frozen, audience, sent, failed, skipped, unknown, remaining,
                                                    percent, Math.round(rate * 10) / 10.0, eta,
                                                    instant(rs.getTimestamp(14)), instant(rs.getTimestamp(15)),
                                                    instant(rs.getTimestamp(16)), instant(rs.getTimestamp(17)));
                }, campaignId);
        return found.isEmpty() ? null : found.get(0);
    }

    @QueryHandler
    public DeliveryPage handle(FindDeliveriesQuery query) {
        int limit = Math.clamp(query.limit(), 1, 500);
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select " + DELIVERY_COLUMNS + " from delivery d "
                                                      + "join campaign_run r on r.campaign_id = d.campaign_id "
                                                      + "where d.campaign_id = ?");
        params.add(query.campaignId());
        if (query.status() != null) {
            sql.append(" and d.status = ?");
            params.add(query.status().name());
        }
        if (query.afterContactId() != null && UUID_TEXT.matcher(query.afterContactId()).matches()) {
            sql.append(" and d.contact_id > ?");
            params.add(UUID.fromString(query.afterContactId()));
        }
        sql.append(" order by d.contact_id limit ?");
        params.add(limit + 1);
        List<DeliveryView> items = jdbc.query(sql.toString(), DELIVERY, params.toArray());
        return page(items, limit);
    }

    @QueryHandler
    public DeliveryPage handle(FindContactDeliveriesQuery query) {
        if (query.contactId() == null || !UUID_TEXT.matcher(query.contactId()).matches()) {
            return new DeliveryPage(List.of(), null);
        }
        int limit = Math.clamp(query.limit(), 1, 500);
        List<DeliveryView> items = jdbc.query("select " + DELIVERY_COLUMNS + " from delivery d "
                                                      + "join campaign_run r on r.campaign_id = d.campaign_id "
                                                      + "where d.contact_id = ? order by d.created_at desc limit ?",
                                              DELIVERY, UUID.fromString(query.contactId()), limit);
        return new DeliveryPage(items, null);
    }

    private static DeliveryPage page(List<DeliveryView> items, int limit) {
        if (items.size() <= limit) {
            return new DeliveryPage(items, null);
        }
        List<DeliveryView> page = items.subList(0, limit);
        return new DeliveryPage(List.copyOf(page), page.get(limit - 1).contactId());
    }

    @QueryHandler
    public FailurePage handle(FindFailuresQuery query) {
        int limit = Math.clamp(query.limit(), 1, 500);
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select id, occurred_at, campaign_id, contact_id, channel, reason, error, "
                                                      + "attempt, outcome, retry_at, worker_id, flow_id, flow_node_id, flow_run_id, source, "
                                                      + "webhook_subscription_id, webhook_message_id "
                                                      + "from delivery_failure where true");
        if (query.campaignId() != null) {
            sql.append(" and campaign_id = ?");
            params.add(query.campaignId());
        }
        if (query.flowId() != null) {
            sql.append(" and flow_id = ?");
            params.add(query.flowId());
        }
        if (query.channel() != null) {
            sql.append(" and channel = ?");
            params.add(query.channel().name());
        }
        if (query.reason() != null) {
            sql.append(" and reason = ?");
            params.add(query.reason());
        }
        if (query.from() != null) {
            sql.append(" and occurred_at >= ?");
            params.add(Timestamp.from(query.from()));
        }
        if (query.to() != null) {
            sql.append(" and occurred_at < ?");
            params.add(Timestamp.from(query.to()));
        }
        if (query.beforeId() != null) {
            sql.append(" and id < ?");
            params.add(query.beforeId());
        }
        sql.append(" order by id desc limit ?");
        params.add(limit + 1);
        List<FailureView> items = jdbc.query(sql.toString(), (rs, row) -> new FailureView(
                rs.getLong(1), instant(rs.getTimestamp(2)), rs.getString(3), rs.getString(4),
                Channel.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9),
                instant(rs.getTimestamp(10)), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                rs.getString(15), rs.getString(16), rs.getString(17)),
                                             params.toArray());
        if (items.size() <= limit) {
            return new FailurePage(items, null);
        }
        List<FailureView> page = List.copyOf(items.subList(0, limit));
        return new FailurePage(page, page.get(limit - 1).id());
    }

    @QueryHandler
    public DeliveryStatsView handle(FindDeliveryStatsQuery query) {
        int days = Math.clamp(query.days(), 1, 90);
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        java.time.LocalDate first = today.minusDays(days - 1L);
        java.util.Map<java.time.LocalDate, long[]> totals = new java.util.HashMap<>();
        jdbc.query("select day, sum(sent), sum(failed + unknown) from delivery_daily where day >= ? group by day",
                   rs -> {
                       totals.put(rs.getDate(1).toLocalDate(), new long[] {rs.getLong(2), rs.getLong(3)});
                   }, java.sql.Date.valueOf(first));
        List<DeliveryStatsView.Day> list = new ArrayList<>(days);
        for (java.time.LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            long[] counts = totals.getOrDefault(day, new long[2]);
            list.add(new DeliveryStatsView.Day(day, counts[0], counts[1]));
        }
        long[] now = totals.getOrDefault(today, new long[2]);
        Double rate = now[0] + now[1] == 0 ? null : (double) now[1] / (now[0] + now[1]);
        return new DeliveryStatsView(list, now[0], now[1], rate);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
