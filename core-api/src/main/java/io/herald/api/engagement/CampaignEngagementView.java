package io.herald.api.engagement;

import java.time.Instant;
import java.util.List;

/**
 * A campaign's opens and clicks, pre-aggregated: totals, per hour and per link.
 *
 * @param totals the campaign's counters
 * @param hours  the counters of each UTC hour that had an open or a click, oldest first
 * @param links  the counters of each clicked link, by its number in the e-mail
 * @param feedback bounces and complaints reported for the campaign's e-mails
 */
public record CampaignEngagementView(String campaignId, Counts totals, List<Hour> hours, List<Link> links,
                                     Feedback feedback) {

    public CampaignEngagementView {
        feedback = feedback == null ? Feedback.ZERO : feedback;
    }

    public CampaignEngagementView(String campaignId, Counts totals, List<Hour> hours, List<Link> links) {
        this(campaignId, totals, hours, links, Feedback.ZERO);
    }

    /**
     * Distinct recipients (deliveries) whose e-mail bounced (hard or soft), bounced for good, and who complained.
     */
    public record Feedback(long bounced, long hardBounced, long complained) {

        public static final Feedback ZERO = new Feedback(0, 0, 0);
    }

    /**
     * Counters: {@code *All} every open or click, {@code *Human} those not taken for a machine's.
     *
     * @param opensAll      opens (each pixel fetch)
     * @param openersAll    distinct recipients who opened (in an hour: whose first open fell in it)
     * @param clicksAll     clicks (each redirect followed)
     * @param clickersAll   distinct recipients who clicked any link (in an hour: whose first click fell in it)
     */
    public record Counts(long opensAll, long opensHuman, long openersAll, long openersHuman, long clicksAll,
                         long clicksHuman, long clickersAll, long clickersHuman) {

        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0);

        public Counts plus(Counts other) {
            return new Counts(opensAll + other.opensAll, opensHuman + other.opensHuman,
                              openersAll + other.openersAll, openersHuman + other.openersHuman,
                              clicksAll + other.clicksAll, clicksHuman + other.clicksHuman,
                              clickersAll + other.clickersAll, clickersHuman + other.clickersHuman);
        }
    }

    /** The counters of the hour starting at {@code hour}. */
    public record Hour(Instant hour, Counts counts) {
    }

    /**
     * @param index      the link's number among the e-mail's distinct links (0-based)
     * @param url        the URL (the first one clicked with this number)
     * @param uniqueAll  distinct recipients who clicked it
     */
    public record Link(int index, String url, long clicksAll, long clicksHuman, long uniqueAll, long uniqueHuman) {
    }
}
