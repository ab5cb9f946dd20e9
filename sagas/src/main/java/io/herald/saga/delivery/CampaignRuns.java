package io.herald.saga.delivery;

import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.Channel;
import io.herald.eventstore.database.Json;
import io.herald.api.delivery.DeliveryTotals;
import io.herald.api.segment.RecipientPage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code campaign_run} table: one row per launched campaign, with its state, its freeze position and
 * its counters (rolled up per day into {@code delivery_daily}). The send saga opens, pauses, cancels and
 * finishes runs; the workers read them and move them on. Callers own the transactions.
 */
@Component
public class CampaignRuns {

    /** States of a campaign run. */
    public static final String FREEZING = "FREEZING";
    public static final String SENDING = "SENDING";
    public static final String CANCELLING = "CANCELLING";
    /** The campaign FAILED: what is left is skipped, as for a cancel, with its own reason. */
    public static final String FAILING = "FAILING";
    public static final String DONE = "DONE";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public CampaignRuns(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    // --- runs (written by the send saga) -------------------------------------------------------

    /** Opens a launched campaign's run with what it sends (null for launches stored before events carried it). */
    public void open(String campaignId, Instant launchedAt, String correlationId, CampaignDefinition definition) {
        // the trace of the launch (the saga's span handling it), which the workers' batch spans continue
        jdbc.update("insert into campaign_run (campaign_id, state, launched_at, updated_at, correlation_id, definition, "
                            + "traceparent) values (?, 'FREEZING', ?, ?, ?, ?::jsonb, ?) on conflict (campaign_id) do nothing",
                    campaignId, Timestamp.from(launchedAt), now(), correlationId,
                    definition == null ? null : Json.write(definition), DeliveryTracing.currentTraceparent());
    }

    /** What a run sends, as written when it opened; empty for runs opened before launches carried it. */
    public Optional<CampaignDefinition> definition(String campaignId) {
        return jdbc.query("select definition::text from campaign_run where campaign_id = ?",
                          (rs, row) -> rs.getString(1), campaignId).stream()
                .filter(java.util.Objects::nonNull)
                .map(json -> Json.read(json, DEFINITION)).findFirst();
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<CampaignDefinition> DEFINITION =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    public void setPaused(String campaignId, boolean paused) {
        jdbc.update("update campaign_run set paused = ?, updated_at = ? where campaign_id = ?", paused, now(),
                    campaignId);
    }

    public void cancel(String campaignId) {
        jdbc.update("update campaign_run set state = 'CANCELLING', updated_at = ? where campaign_id = ? "
                            + "and state <> 'DONE'", now(), campaignId);
    }

    public void fail(String campaignId) {
        jdbc.update("update campaign_run set state = 'FAILING', updated_at = ? where campaign_id = ? "
                            + "and state <> 'DONE'", now(), campaignId);
    }

    public void finish(String campaignId) {
        jdbc.update("update campaign_run set state = 'DONE', finished_at = coalesce(finished_at, ?), updated_at = ? "
                            + "where campaign_id = ?", now(), now(), campaignId);
    }

    // --- what the worker sees ------------------------------------------------------------------

    /** A run that is not done. */
    public record ActiveRun(String campaignId, String state, boolean paused, Channel channel, boolean frozen,
                            boolean audienceRecorded, String correlationId, Instant launchedAt, String traceparent) {

        public boolean sending() {
            return SENDING.equals(state) && !paused;
        }
    }

    public List<ActiveRun> activeRuns() {
        return jdbc.query("select campaign_id, state, paused, channel, frozen, audience_recorded, correlation_id, "
                                  + "launched_at, traceparent from campaign_run where state <> 'DONE'",
                          (rs, row) -> new ActiveRun(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                                                     rs.getString(4) == null ? null : Channel.valueOf(rs.getString(4)),
                                                     rs.getBoolean(5), rs.getBoolean(6), rs.getString(7),
                                                     rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant(),
                                                     rs.getString(9)));
    }

    /** The freeze position of a FREEZING run, locked for this transaction (other workers skip it). */
    /** The channel a run sends on (empty before its audience is frozen, or with no run). */
    public Optional<Channel> channel(String campaignId) {
        return jdbc.query("select channel from campaign_run where campaign_id = ?",
                          (rs, row) -> rs.getString(1), campaignId).stream()
                .filter(java.util.Objects::nonNull).map(Channel::valueOf).findFirst();
    }

    public record FreezePosition(String campaignId, String cursor, Long segmentVersion) {
    }

    public Optional<FreezePosition> lockFreezing(String campaignId) {
        return jdbc.query("select campaign_id, freeze_cursor, segment_version from campaign_run "
                                  + "where campaign_id = ? and state = 'FREEZING' for update skip locked",
                          (rs, row) -> new FreezePosition(rs.getString(1), rs.getString(2),
                                                          (Long) rs.getObject(3)), campaignId)
                .stream().findFirst();
    }

    /**
     * Moves the freeze cursor past one page of recipients written down ({@code written} of them, {@code skipped}
     * of those with a reason); at the end of the audience the run is frozen and starts sending.
     */
    void advanceFreeze(String campaignId, Channel channel, String segmentId, RecipientPage page, long written,
                       long skipped) {
        boolean last = page.next() == null;
        String cursor = page.recipients().isEmpty() ? null
                : page.recipients().get(page.recipients().size() - 1).contactId();
        jdbc.update("update campaign_run set channel = ?, segment_id = ?, "
                            + "segment_version = coalesce(segment_version, ?), "
                            + "freeze_cursor = coalesce(?::uuid, freeze_cursor), audience = audience + ?, "
                            + "skipped = skipped + ?, skipped_at_freeze = skipped_at_freeze + ?, frozen = ?, frozen_at = case when ? then ?::timestamptz end, "
                            + "state = case when ? then 'SENDING' else state end, updated_at = ? "
                            + "where campaign_id = ?",
                    channel.name(), segmentId, page.segmentVersion(), cursor, written, skipped, skipped, last, last, now(),
                    last, now(), campaignId);
    }

    /** The counts the audience event reports, for a frozen run. */
    public record FrozenAudience(long audience, long skippedAtFreeze, String segmentId, long segmentVersion) {
    }

    public FrozenAudience frozenAudience(String campaignId) {
        return jdbc.queryForObject("select audience, skipped_at_freeze, segment_id, coalesce(segment_version, 0) "
                                           + "from campaign_run where campaign_id = ?",
                                   (rs, row) -> new FrozenAudience(rs.getLong(1), rs.getLong(2), rs.getString(3),
                                                                   rs.getLong(4)), campaignId);
    }

    /**
     * The counters of a frozen run, settled or not; empty before it is frozen. Whether it is settled also
     * depends on its recipients' rows: {@link DeliveryStore#settledTotals}.
     */
    Optional<DeliveryTotals> frozenTotals(String campaignId) {
        return jdbc.query(
                "select audience, sent, failed, skipped, unknown from campaign_run where campaign_id = ? and frozen",
                (rs, row) -> new DeliveryTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                                rs.getLong(5)), campaignId).stream().findFirst();
    }

    public void markAudienceRecorded(String campaignId) {
        jdbc.update("update campaign_run set audience_recorded = true where campaign_id = ?", campaignId);
    }

    // --- counters -------------------------------------------------------------------------------

    /** The final statuses among recorded rows (rows back to PENDING count in none). */
    public record Tally(long sent, long failed, long skipped, long unknown) {

        public static Tally of(List<Deliveries.Recorded> recorded) {
            long sent = 0;
            long failed = 0;
            long skipped = 0;
            long unknown = 0;
            for (Deliveries.Recorded r : recorded) {
                switch (r.status()) {
                    case SENT -> sent++;
                    case FAILED -> failed++;
                    case SKIPPED -> skipped++;
                    case UNKNOWN -> unknown++;
                    default -> { }
                }
            }
            return new Tally(sent, failed, skipped, unknown);
        }

        public long finished() {
            return sent + failed + skipped + unknown;
        }
    }

    /**
     * Adds recorded final statuses to the run's counters and its rate window, and to the day's counters of
     * its channel. Called in the transaction that settles the rows, so the counters are exact.
     */
    void count(String campaignId, List<Deliveries.Recorded> recorded) {
        Tally tally = Tally.of(recorded);
        long sent = tally.sent();
        long failed = tally.failed();
        long skipped = tally.skipped();
        long unknown = tally.unknown();
        long finished = tally.finished();
        if (finished == 0) {
            return;
        }
        Timestamp now = now();
        // SET expressions see the row as it was: the window closes after 5 s, its rate becomes the rate
        jdbc.update("update campaign_run set sent = sent + ?, failed = failed + ?, skipped = skipped + ?, "
                            + "unknown = unknown + ?, updated_at = ?, "
                            + "rate_per_second = case when window_started_at is not null "
                            + "and ?::timestamptz - window_started_at >= interval '5 seconds' "
                            + "then (window_count + ?) / extract(epoch from (?::timestamptz - window_started_at)) "
                            + "else rate_per_second end, "
                            + "window_count = case when window_started_at is null "
                            + "or ?::timestamptz - window_started_at >= interval '5 seconds' then "
                            + "case when window_started_at is null then ? else 0 end else window_count + ? end, "
                            + "window_started_at = case when window_started_at is null "
                            + "or ?::timestamptz - window_started_at >= interval '5 seconds' then ?::timestamptz "
                            + "else window_started_at end "
                            + "where campaign_id = ?",
                    sent, failed, skipped, unknown, now, now, finished, now, now, finished, finished, now, now,
                    campaignId);
        jdbc.update("insert into delivery_daily (day, channel, sent, failed, skipped, unknown) "
                            + "select (?::timestamptz at time zone 'UTC')::date, coalesce(channel, 'WEBHOOK'), ?, ?, ?, ? "
                            + "from campaign_run where campaign_id = ? on conflict (day, channel) do update set "
                            + "sent = delivery_daily.sent + excluded.sent, failed = delivery_daily.failed + excluded.failed, "
                            + "skipped = delivery_daily.skipped + excluded.skipped, "
                            + "unknown = delivery_daily.unknown + excluded.unknown",
                    now, sent, failed, skipped, unknown, campaignId);
    }
}
