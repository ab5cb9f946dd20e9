package io.herald.api.policy;

import io.herald.api.campaign.Channel;

import java.util.List;

/**
 * The messaging policy, one for campaigns and flows: frequency caps per channel and quiet hours. Transactional
 * sends (a campaign or flow send node marked {@code transactional}) are exempt. The same JSON on the wire and in
 * the stored events.
 *
 * @param frequencyCaps at most one per channel: at most {@code limit} messages per {@code days} calendar days of
 *                      the contact's time zone (today and the days before it); a capped message is skipped with
 *                      reason {@code frequency-cap}
 * @param quietHours    a daily window in the contact's time zone in which messages on its {@code channels} are held
 *                      until it ends; null: none
 */
public record MessagingPolicy(List<FrequencyCap> frequencyCaps, QuietHours quietHours) {

    /** The policy's aggregate id: there is one. */
    public static final String ID = "messaging-policy";

    /** No caps, no quiet hours (before a policy is set). */
    public static final MessagingPolicy NONE = new MessagingPolicy(List.of(), null);

    public record FrequencyCap(Channel channel, Integer limit, Integer days) {
    }

    /**
     * @param start    HH:mm, the window's start (inclusive)
     * @param end      HH:mm, its end (exclusive); before {@code start}: the window spans midnight (21:00–08:00)
     * @param channels the channels held (absent: EMAIL and SMS)
     * @param timeZone the zone of contacts without one (absent: UTC)
     */
    public record QuietHours(String start, String end, List<Channel> channels, String timeZone) {

        public List<Channel> effectiveChannels() {
            return channels == null || channels.isEmpty() ? List.of(Channel.EMAIL, Channel.SMS) : channels;
        }
    }

    /** The cap on {@code channel}, or null. */
    public FrequencyCap capOf(Channel channel) {
        return frequencyCaps == null ? null
                : frequencyCaps.stream().filter(cap -> cap.channel() == channel).findFirst().orElse(null);
    }
}
