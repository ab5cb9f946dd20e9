package io.herald.api.flow;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The events of one flow, in order: who created, edited, published, activated, paused... it and when. */
public record FlowHistoryView(String flowId, List<Entry> events) {

    /**
     * One stored event.
     *
     * @param sequence      position in the flow's stream, from 0
     * @param type          event type, e.g. {@code FlowPublished}
     * @param revision      payload revision
     * @param timestamp     when it was stored
     * @param payload       the event's fields
     * @param actor         who caused it ({@code user:…}, {@code api-key:…}, {@code system:…})
     * @param correlationId the request or process it belongs to
     */
    public record Entry(long sequence, String type, String revision, Instant timestamp, Map<String, Object> payload,
                        String actor, String correlationId) {
    }
}
