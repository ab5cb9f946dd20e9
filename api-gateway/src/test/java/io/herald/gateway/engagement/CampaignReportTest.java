package io.herald.gateway.engagement;

import io.herald.api.campaign.Channel;
import io.herald.api.delivery.CampaignProgressView;
import io.herald.api.engagement.CampaignEngagementView;
import io.herald.api.engagement.CampaignEngagementView.Counts;
import io.herald.api.engagement.CampaignEngagementView.Hour;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CampaignReportTest {

    private static final Instant LAUNCH = Instant.parse("2026-12-01T09:40:00Z");

    private static CampaignProgressView progress(long sent) {
        return new CampaignProgressView("c", Channel.EMAIL, "DONE", true, 1000, sent, 3, 2, 1, 0, 100, 0, null,
                                        LAUNCH, LAUNCH, LAUNCH, LAUNCH);
    }

    @Test
    void rates_areUniqueClickersOverSentAndOverUniqueOpeners_roundedTo4Decimals() {
        Counts totals = new Counts(900, 500, 600, 300, 120, 90, 70, 40);
        CampaignReport report = CampaignReport.of("c", LAUNCH, progress(994),
                                                  new CampaignEngagementView("c", totals, List.of(), List.of()));

        assertThat(report.clickThroughRate().human()).isEqualTo(0.0402);   // 40 / 994
        assertThat(report.clickThroughRate().all()).isEqualTo(0.0704);     // 70 / 994
        assertThat(report.clickToOpenRate().human()).isEqualTo(0.1333);    // 40 / 300
        assertThat(report.clickToOpenRate().all()).isEqualTo(0.1167);      // 70 / 600
        assertThat(report.opened()).isEqualTo(new CampaignReport.Engagement(300, 600, 500, 900));
        assertThat(report.clicked()).isEqualTo(new CampaignReport.Engagement(40, 70, 90, 120));
        assertThat(report.audience()).isEqualTo(1000);
        assertThat(report.failed()).isEqualTo(3);
    }

    @Test
    void rates_withNothingSentOrNobodyOpened_areNull_andANotLaunchedCampaignIsAllZeros() {
        CampaignReport report = CampaignReport.of("c", null, null,
                                                  new CampaignEngagementView("c", Counts.ZERO, List.of(), List.of()));

        assertThat(report.clickThroughRate()).isEqualTo(new CampaignReport.Rate(null, null));
        assertThat(report.clickToOpenRate()).isEqualTo(new CampaignReport.Rate(null, null));
        assertThat(report.sent()).isZero();
        assertThat(report.audience()).isZero();
        assertThat(report.overTime()).isEmpty();
        assertThat(CampaignReport.rate(1, 3)).isEqualTo(0.3333);
        assertThat(CampaignReport.rate(2, 3)).isEqualTo(0.6667);
    }

    @Test
    void buckets_areHourlyFromTheLaunchHourFor48Hours_thenDaily_withZeroGaps() {
        Counts one = new Counts(1, 1, 1, 1, 0, 0, 0, 0);
        Counts click = new Counts(0, 0, 0, 0, 2, 1, 1, 1);
        List<Hour> hours = List.of(new Hour(Instant.parse("2026-12-01T09:00:00Z"), one),
                                   new Hour(Instant.parse("2026-12-01T11:00:00Z"), click),
                                   new Hour(Instant.parse("2026-12-03T08:00:00Z"), one),   // hour 47
                                   new Hour(Instant.parse("2026-12-03T09:00:00Z"), one),   // first day
                                   new Hour(Instant.parse("2026-12-04T08:00:00Z"), one),   // still the first day
                                   new Hour(Instant.parse("2026-12-04T09:00:00Z"), click)); // second day

        List<CampaignReport.Bucket> buckets = CampaignReport.buckets(LAUNCH, hours);

        assertThat(buckets).hasSize(48 + 2);
        assertThat(buckets.get(0).start()).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
        assertThat(buckets.get(0).unit()).isEqualTo("HOUR");
        assertThat(buckets.get(0).opened().totalAll()).isEqualTo(1);
        assertThat(buckets.get(1).opened().totalAll()).as("a gap").isZero();
        assertThat(buckets.get(2).clicked()).isEqualTo(new CampaignReport.Engagement(1, 1, 1, 2));
        assertThat(buckets.get(47).start()).isEqualTo(Instant.parse("2026-12-03T08:00:00Z"));
        assertThat(buckets.get(47).unit()).isEqualTo("HOUR");
        assertThat(buckets.get(48).start()).isEqualTo(Instant.parse("2026-12-03T09:00:00Z"));
        assertThat(buckets.get(48).unit()).isEqualTo("DAY");
        assertThat(buckets.get(48).opened().totalAll()).isEqualTo(2);
        assertThat(buckets.get(49).start()).isEqualTo(Instant.parse("2026-12-04T09:00:00Z"));
        assertThat(buckets.get(49).clicked().totalAll()).isEqualTo(2);
    }

    @Test
    void csv_hasTheSummaryAndTheLinksTable_quotingUrlsWithCommas() {
        Counts totals = new Counts(2, 1, 1, 1, 3, 2, 1, 1);
        CampaignReport report = CampaignReport.of("c", LAUNCH, progress(4), new CampaignEngagementView(
                "c", totals, List.of(), List.of(new CampaignEngagementView.Link(0, "https://x.example/a,b", 3, 2, 1, 1))));

        String csv = report.csv();

        assertThat(csv).startsWith("metric,human,all\r\naudience,1000,1000\r\nsent,4,4\r\n")
                .contains("opened_unique,1,1\r\nopened_total,1,2\r\n")
                .contains("clicked_total,2,3\r\n")
                .contains("click_through_rate,0.25,0.25\r\n")
                .contains("click_to_open_rate,1.0,1.0\r\n")
                .endsWith("\r\nlink_index,url,unique_human,unique_all,total_human,total_all\r\n"
                                  + "0,\"https://x.example/a,b\",1,1,2,3\r\n");
    }
}
