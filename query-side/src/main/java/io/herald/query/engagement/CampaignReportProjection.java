package io.herald.query.engagement;

import io.herald.api.engagement.CampaignEngagementView;
import io.herald.api.engagement.CampaignEngagementView.Counts;
import io.herald.api.engagement.EmailOpenedEvent;
import io.herald.api.engagement.LinkClickedEvent;
import io.herald.api.feedback.EmailBouncedEvent;
import io.herald.api.feedback.EmailComplainedEvent;
import io.herald.query.QuerySideProcessing;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The campaign report's read model: a campaign's opens and clicks counted as they are recorded, in total
 * ({@code campaign_report}), per UTC hour ({@code campaign_report_hour}) and per link ({@code campaign_report_link}),
 * so that a report reads a few rows by primary key whatever the audience. Its processing group,
 * {@value #PROCESSING_GROUP}, is subscribing: the counters move in the transaction of the command that records the
 * open or click. Counting is idempotent: each event's id, and each first (a recipient's first open, first human
 * open, first click, first click of a link...), is a row of {@code campaign_report_mark} inserted once, so a rebuild
 * that meets events already counted leaves the counters as they are ({@link ResetHandler} empties the tables for a
 * replay from the start). Bounces and complaints are counted per delivery (marks {@code b:}, {@code bh:} hard,
 * {@code x:} complained). A flow's sends (no campaign) are not counted here.
 */
@Component
@ProcessingGroup(CampaignReportProjection.PROCESSING_GROUP)
class CampaignReportProjection {

    static final String PROCESSING_GROUP = QuerySideProcessing.CAMPAIGN_REPORT;

    private static final String COUNTERS = "opens_all, opens_human, openers_all, openers_human, clicks_all, "
            + "clicks_human, clickers_all, clickers_human";
    private static final String ADD_COUNTERS = "opens_all = %1$s.opens_all + excluded.opens_all, "
            + "opens_human = %1$s.opens_human + excluded.opens_human, "
            + "openers_all = %1$s.openers_all + excluded.openers_all, "
            + "openers_human = %1$s.openers_human + excluded.openers_human, "
            + "clicks_all = %1$s.clicks_all + excluded.clicks_all, "
            + "clicks_human = %1$s.clicks_human + excluded.clicks_human, "
            + "clickers_all = %1$s.clickers_all + excluded.clickers_all, "
            + "clickers_human = %1$s.clickers_human + excluded.clickers_human";

    private final JdbcTemplate jdbc;

    CampaignReportProjection(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @EventHandler
    void on(EmailOpenedEvent event, @MessageIdentifier String eventId) {
        if (event.campaignId() == null) {
            return;
        }
        String delivery = event.deliveryId();
        boolean human = !event.machine();
        List<String> marks = new ArrayList<>(List.of("e:" + eventId, "o:" + delivery));
        if (human) {
            marks.add("oh:" + delivery);
        }
        Set<String> fresh = mark(event.campaignId(), marks);
        if (!fresh.contains("e:" + eventId)) {
            return; // counted before
        }
        Counts counts = new Counts(1, human ? 1 : 0, fresh.contains("o:" + delivery) ? 1 : 0,
                                   fresh.contains("oh:" + delivery) ? 1 : 0, 0, 0, 0, 0);
        add(event.campaignId(), event.openedAt(), counts);
    }

    @EventHandler
    void on(LinkClickedEvent event, @MessageIdentifier String eventId) {
        if (event.campaignId() == null) {
            return;
        }
        String delivery = event.deliveryId();
        boolean human = !event.machine();
        String link = "l" + event.linkIndex() + ":" + delivery;
        String humanLink = "lh" + event.linkIndex() + ":" + delivery;
        List<String> marks = new ArrayList<>(List.of("e:" + eventId, "c:" + delivery, link));
        if (human) {
            marks.add("ch:" + delivery);
            marks.add(humanLink);
        }
        Set<String> fresh = mark(event.campaignId(), marks);
        if (!fresh.contains("e:" + eventId)) {
            return; // counted before
        }
        Counts counts = new Counts(0, 0, 0, 0, 1, human ? 1 : 0, fresh.contains("c:" + delivery) ? 1 : 0,
                                   fresh.contains("ch:" + delivery) ? 1 : 0);
        add(event.campaignId(), event.clickedAt(), counts);
        jdbc.update("insert into campaign_report_link (campaign_id, link_index, url, clicks_all, clicks_human, "
                            + "unique_all, unique_human) values (?, ?, ?, 1, ?, ?, ?) "
                            + "on conflict (campaign_id, link_index) do update set "
                            + "clicks_all = campaign_report_link.clicks_all + 1, "
                            + "clicks_human = campaign_report_link.clicks_human + excluded.clicks_human, "
                            + "unique_all = campaign_report_link.unique_all + excluded.unique_all, "
                            + "unique_human = campaign_report_link.unique_human + excluded.unique_human",
                    event.campaignId(), event.linkIndex(), event.link(), human ? 1 : 0,
                    fresh.contains(link) ? 1 : 0, fresh.contains(humanLink) ? 1 : 0);
    }

    /** A bounce: counted once per delivery that bounced, and once more per delivery that bounced for good. */
    @EventHandler
    void on(EmailBouncedEvent event, @MessageIdentifier String eventId) {
        if (event.campaignId() == null) {
            return;
        }
        String delivery = event.deliveryId();
        List<String> marks = new ArrayList<>(List.of("e:" + eventId, "b:" + delivery));
        if (event.hard()) {
            marks.add("bh:" + delivery);
        }
        Set<String> fresh = mark(event.campaignId(), marks);
        if (fresh.contains("e:" + eventId)) {
            addFeedback(event.campaignId(), fresh.contains("b:" + delivery) ? 1 : 0,
                        fresh.contains("bh:" + delivery) ? 1 : 0, 0);
        }
    }

    /** A complaint: counted once per delivery. */
    @EventHandler
    void on(EmailComplainedEvent event, @MessageIdentifier String eventId) {
        if (event.campaignId() == null) {
            return;
        }
        String complained = "x:" + event.deliveryId();
        Set<String> fresh = mark(event.campaignId(), List.of("e:" + eventId, complained));
        if (fresh.contains("e:" + eventId)) {
            addFeedback(event.campaignId(), 0, 0, fresh.contains(complained) ? 1 : 0);
        }
    }

    private void addFeedback(String campaignId, long bounced, long hardBounced, long complained) {
        if (bounced + hardBounced + complained == 0) {
            return;
        }
        jdbc.update("insert into campaign_report (campaign_id, bounced, hard_bounced, complained) values (?, ?, ?, ?) "
                            + "on conflict (campaign_id) do update set bounced = campaign_report.bounced + excluded.bounced, "
                            + "hard_bounced = campaign_report.hard_bounced + excluded.hard_bounced, "
                            + "complained = campaign_report.complained + excluded.complained",
                    campaignId, bounced, hardBounced, complained);
    }

    @ResetHandler
    void reset() {
        jdbc.update("truncate campaign_report_mark, campaign_report, campaign_report_hour, campaign_report_link");
    }

    /** Inserts the marks; answers those that were not there yet. */
    private Set<String> mark(String campaignId, List<String> marks) {
        return jdbc.execute((ConnectionCallback<Set<String>>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into campaign_report_mark (campaign_id, mark) select ?, unnest(?::varchar[]) "
                            + "on conflict do nothing returning mark")) {
                statement.setString(1, campaignId);
                statement.setArray(2, connection.createArrayOf("varchar", marks.toArray()));
                Set<String> fresh = new HashSet<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        fresh.add(rs.getString(1));
                    }
                }
                return fresh;
            }
        });
    }

    private void add(String campaignId, Instant at, Counts c) {
        Object[] values = {c.opensAll(), c.opensHuman(), c.openersAll(), c.openersHuman(), c.clicksAll(),
                c.clicksHuman(), c.clickersAll(), c.clickersHuman()};
        Object[] total = new Object[values.length + 1];
        total[0] = campaignId;
        System.arraycopy(values, 0, total, 1, values.length);
        jdbc.update("insert into campaign_report (campaign_id, " + COUNTERS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            + "on conflict (campaign_id) do update set " + ADD_COUNTERS.formatted("campaign_report"),
                    total);
        Object[] hour = new Object[values.length + 2];
        hour[0] = campaignId;
        hour[1] = Timestamp.from(at.truncatedTo(ChronoUnit.HOURS));
        System.arraycopy(values, 0, hour, 2, values.length);
        jdbc.update("insert into campaign_report_hour (campaign_id, hour, " + COUNTERS + ") "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (campaign_id, hour) do update set "
                            + ADD_COUNTERS.formatted("campaign_report_hour"), hour);
    }

    /** The campaign's counters, hours and links: three reads by primary key (prefix). */
    CampaignEngagementView read(String campaignId) {
        List<Counts> totals = jdbc.query("select " + COUNTERS + " from campaign_report where campaign_id = ?",
                                         (rs, row) -> counts(rs, 1), campaignId);
        List<CampaignEngagementView.Hour> hours = jdbc.query(
                "select hour, " + COUNTERS + " from campaign_report_hour where campaign_id = ? order by hour",
                (rs, row) -> new CampaignEngagementView.Hour(rs.getTimestamp(1).toInstant(), counts(rs, 2)),
                campaignId);
        List<CampaignEngagementView.Link> links = jdbc.query(
                "select link_index, url, clicks_all, clicks_human, unique_all, unique_human from campaign_report_link "
                        + "where campaign_id = ? order by link_index",
                (rs, row) -> new CampaignEngagementView.Link(rs.getInt(1), rs.getString(2), rs.getLong(3),
                                                             rs.getLong(4), rs.getLong(5), rs.getLong(6)),
                campaignId);
        List<CampaignEngagementView.Feedback> feedback = jdbc.query(
                "select bounced, hard_bounced, complained from campaign_report where campaign_id = ?",
                (rs, row) -> new CampaignEngagementView.Feedback(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
                campaignId);
        return new CampaignEngagementView(campaignId, totals.isEmpty() ? Counts.ZERO : totals.get(0), hours, links,
                                          feedback.isEmpty() ? CampaignEngagementView.Feedback.ZERO : feedback.get(0));
    }

    private static Counts counts(ResultSet rs, int from) throws java.sql.SQLException {
        return new Counts(rs.getLong(from), rs.getLong(from + 1), rs.getLong(from + 2), rs.getLong(from + 3),
                          rs.getLong(from + 4), rs.getLong(from + 5), rs.getLong(from + 6), rs.getLong(from + 7));
    }
}
