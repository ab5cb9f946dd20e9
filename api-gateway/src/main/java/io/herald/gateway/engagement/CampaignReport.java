package io.herald.gateway.engagement;

import io.herald.api.delivery.CampaignProgressView;
import io.herald.api.engagement.CampaignEngagementView;
import io.herald.api.engagement.CampaignEngagementView.Counts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A campaign's report ({@code GET /api/campaigns/{id}/report}): its delivery counters, opens and clicks, rates,
 * activity over time and clicks per link. {@code human} counts leave out what was taken for a machine's (image
 * proxies, scanners, ...); {@code all} counts everything recorded.
 *
 * @param launchedAt      null before launch (then every count is 0)
 * @param opened          recipients who opened (unique) and opens (total)
 * @param clicked         recipients who clicked any link (unique) and clicks (total)
 * @param clickThroughRate unique clickers / sent, 0–1 (4 decimals); null while nothing was sent
 * @param clickToOpenRate unique clickers / unique openers, 0–1 (4 decimals); null while nobody opened
 * @param unsubscribed    not recorded per campaign yet: 0 (see {@code notRecorded})
 * @param bounced         recipients whose e-mail bounced (hard or soft; a provider's bounce notification, or the SMTP
 *                        server's 5xx refusal at send time), each counted once
 * @param hardBounced     those of them whose e-mail bounced for good (their consent is now {@code BOUNCED})
 * @param complained      recipients who reported the e-mail as spam, each counted once
 * @param notRecorded     the fields above that Herald does not record yet and answers as 0
 * @param overTime        activity per hour for the first 48 hours after launch (from the launch's hour), then per day
 * @param links           clicks per link of the e-mail, by its number
 */
public record CampaignReport(String campaignId, Instant launchedAt, long audience, long sent, long failed,
                             long skipped, long unknown, Engagement opened, Engagement clicked,
                             Rate clickThroughRate, Rate clickToOpenRate, long unsubscribed, long bounced,
                             long hardBounced, long complained, List<String> notRecorded, List<Bucket> overTime, List<Link> links) {

    /** Hours after launch reported hour by hour; later activity is reported by day. */
    static final int HOURLY_FOR_HOURS = 48;
    static final List<String> NOT_RECORDED = List.of("unsubscribed");

    /** Distinct recipients ({@code unique*}) and events ({@code total*}), of people only and of all traffic. */
    public record Engagement(long uniqueHuman, long uniqueAll, long totalHuman, long totalAll) {
    }

    /** A rate (0–1, 4 decimals) of people's engagement and of all traffic's; null where the divisor is 0. */
    public record Rate(Double human, Double all) {
    }

    /**
     * @param start  the bucket's start (UTC)
     * @param unit   {@code HOUR} or {@code DAY} (24 hours from {@code start})
     * @param opened the recipients whose first open fell in it (unique) and its opens (total)
     * @param clicked the recipients whose first click fell in it (unique) and its clicks (total)
     */
    public record Bucket(Instant start, String unit, Engagement opened, Engagement clicked) {
    }

    /** A link of the e-mail: its number (0-based), its URL, the recipients who clicked it and its clicks. */
    public record Link(int index, String url, long uniqueHuman, long uniqueAll, long totalHuman, long totalAll) {
    }

    /** The report from the delivery progress (null before launch) and the counted opens and clicks. */
    static CampaignReport of(String campaignId, Instant launchedAt, CampaignProgressView progress,
                             CampaignEngagementView engagement) {
        Counts totals = engagement.totals();
        long sent = progress == null ? 0 : progress.sent();
        List<Link> links = engagement.links().stream()
                .map(l -> new Link(l.index(), l.url(), l.uniqueHuman(), l.uniqueAll(), l.clicksHuman(), l.clicksAll()))
                .toList();
        return new CampaignReport(campaignId, launchedAt, progress == null ? 0 : progress.audience(), sent,
                                  progress == null ? 0 : progress.failed(), progress == null ? 0 : progress.skipped(),
                                  progress == null ? 0 : progress.unknown(), opened(totals), clicked(totals),
                                  new Rate(rate(totals.clickersHuman(), sent), rate(totals.clickersAll(), sent)),
                                  new Rate(rate(totals.clickersHuman(), totals.openersHuman()),
                                           rate(totals.clickersAll(), totals.openersAll())),
                                  0, engagement.feedback().bounced(), engagement.feedback().hardBounced(),
                                  engagement.feedback().complained(), NOT_RECORDED, buckets(launchedAt, engagement.hours()), links);
    }

    /** {@code part / whole} rounded half-up to 4 decimals; null when {@code whole} is 0. */
    static Double rate(long part, long whole) {
        if (whole <= 0) {
            return null;
        }
        return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP).doubleValue();
    }

    /**
     * Hourly counters folded into the report's buckets: hour by hour from the launch's hour for
     * {@value #HOURLY_FOR_HOURS} hours, then 24-hour days from there; gaps up to the last active bucket are
     * zero buckets. Activity recorded before the launch's hour (none is expected) goes into the first bucket.
     */
    static List<Bucket> buckets(Instant launchedAt, List<CampaignEngagementView.Hour> hours) {
        if (launchedAt == null || hours.isEmpty()) {
            return List.of();
        }
        Instant first = launchedAt.truncatedTo(ChronoUnit.HOURS);
        Instant daily = first.plus(Duration.ofHours(HOURLY_FOR_HOURS));
        Map<Instant, Counts> folded = new TreeMap<>();
        for (CampaignEngagementView.Hour hour : hours) {
            folded.merge(bucketStart(first, daily, hour.hour()), hour.counts(), Counts::plus);
        }
        Instant last = ((TreeMap<Instant, Counts>) folded).lastKey();
        List<Bucket> buckets = new ArrayList<>();
        for (Instant start = first; !start.isAfter(last); ) {
            boolean hourly = start.isBefore(daily);
            Counts counts = folded.getOrDefault(start, Counts.ZERO);
            buckets.add(new Bucket(start, hourly ? "HOUR" : "DAY", opened(counts), clicked(counts)));
            start = start.plus(hourly ? Duration.ofHours(1) : Duration.ofDays(1));
        }
        return buckets;
    }

    private static Instant bucketStart(Instant first, Instant daily, Instant hour) {
        if (hour.isBefore(first)) {
            return first;
        }
        if (hour.isBefore(daily)) {
            return hour;
        }
        long days = Duration.between(daily, hour).toDays();
        return daily.plus(Duration.ofDays(days));
    }

    private static Engagement opened(Counts c) {
        return new Engagement(c.openersHuman(), c.openersAll(), c.opensHuman(), c.opensAll());
    }

    private static Engagement clicked(Counts c) {
        return new Engagement(c.clickersHuman(), c.clickersAll(), c.clicksHuman(), c.clicksAll());
    }

    /**
     * The summary and the links table as CSV (RFC 4180, CRLF): {@code metric,human,all} rows, a blank line, then
     * {@code link_index,url,unique_human,unique_all,total_human,total_all}.
     */
    String csv() {
        StringBuilder out = new StringBuilder("metric,human,all\r\n");
        row(out, "audience", audience, audience);
        row(out, "sent", sent, sent);
        row(out, "failed", failed, failed);
        row(out, "skipped", skipped, skipped);
        row(out, "unknown", unknown, unknown);
        row(out, "opened_unique", opened.uniqueHuman(), opened.uniqueAll());
        row(out, "opened_total", opened.totalHuman(), opened.totalAll());
        row(out, "clicked_unique", clicked.uniqueHuman(), clicked.uniqueAll());
        row(out, "clicked_total", clicked.totalHuman(), clicked.totalAll());
        row(out, "click_through_rate", clickThroughRate.human(), clickThroughRate.all());
        row(out, "click_to_open_rate", clickToOpenRate.human(), clickToOpenRate.all());
        row(out, "unsubscribed", unsubscribed, unsubscribed);
        row(out, "bounced", bounced, bounced);
        row(out, "hard_bounced", hardBounced, hardBounced);
        row(out, "complained", complained, complained);
        out.append("\r\nlink_index,url,unique_human,unique_all,total_human,total_all\r\n");
        for (Link link : links) {
            out.append(link.index()).append(',').append(quoted(link.url())).append(',').append(link.uniqueHuman())
                    .append(',').append(link.uniqueAll()).append(',').append(link.totalHuman()).append(',')
                    .append(link.totalAll()).append("\r\n");
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String metric, Object human, Object all) {
        out.append(metric).append(',').append(human == null ? "" : human).append(',').append(all == null ? "" : all)
                .append("\r\n");
    }

    private static String quoted(String value) {
        boolean plain = value.chars().noneMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
        return plain ? value : '"' + value.replace("\"", "\"\"") + '"';
    }
}
