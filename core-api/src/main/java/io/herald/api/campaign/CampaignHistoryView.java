package io.herald.api.campaign;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The events of one campaign, in order. */
public record CampaignHistoryView(String campaignId, List<Entry> events) {

    /**
     * One stored event.
     *
     * @param sequence      position in the campaign's stream, from 0
     * @param type          event type, e.g. {@code CampaignScheduled}
     * @param revision      payload revision
     * @param timestamp     when it was stored
     * @param payload       the event's fields
     * @param actor         who caused it ({@code user:…}, {@code api-key:…}, {@code system:…})
     * @param correlationId the request or process it belongs to
     * @param metadata      all metadata as stored
     */
    public record Entry(long sequence, String type, String revision, Instant timestamp, Map<String, Object> payload,
                        String actor, String correlationId, Map<String, Object> metadata) {
    }
}
