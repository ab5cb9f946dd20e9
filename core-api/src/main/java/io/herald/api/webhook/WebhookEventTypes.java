package io.herald.api.webhook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of webhook event types: each with its payload version and a JSON Schema (draft 2020-12) of its
 * {@code data}. Every message is {@code {"type", "timestamp", "data"}}; a payload that changes incompatibly gets a
 * new version (announced here) rather than changing under a receiver.
 */
public final class WebhookEventTypes {

    /** One type: name, payload version, what it means, the schema of {@code data}. */
    public record WebhookEventType(String type, int version, String description, Map<String, Object> schema) {
    }

    public static final String CAMPAIGN_LAUNCHED = "campaign.launched";
    public static final String CAMPAIGN_COMPLETED = "campaign.completed";
    public static final String CAMPAIGN_FAILED = "campaign.failed";
    public static final String DELIVERY_FAILED = "delivery.failed";
    public static final String CONTACT_CREATED = "contact.created";
    public static final String CONTACT_UPDATED = "contact.updated";
    public static final String CONTACT_UNSUBSCRIBED = "contact.unsubscribed";
    public static final String IMPORT_COMPLETED = "import.completed";
    public static final String IMPORT_FAILED = "import.failed";
    public static final String FLOW_ENTERED = "flow.entered";
    public static final String FLOW_EXITED = "flow.exited";
    public static final String FLOW_COMPLETED = "flow.completed";
    public static final String WEBHOOK_DISABLED = "webhook.disabled";
    public static final String WEBHOOK_TEST = "webhook.test";

    private static final Map<String, Object> TEXT = Map.of("type", "string");
    private static final Map<String, Object> NULLABLE_TEXT = Map.of("type", List.of("string", "null"));
    private static final Map<String, Object> TIME = Map.of("type", "string", "format", "date-time");
    private static final Map<String, Object> COUNT = Map.of("type", "integer", "minimum", 0);
    private static final Map<String, Object> OBJECT = Map.of("type", "object");

    private static final Map<String, Object> FLOW_RUN = object(
            List.of("flowId", "flowVersion", "runId", "contactId"),
            "flowId", TEXT, "flowVersion", COUNT, "runId", TEXT, "contactId", TEXT, "nodeId", NULLABLE_TEXT,
            "reason", NULLABLE_TEXT);

    public static final List<WebhookEventType> ALL = List.of(
            new WebhookEventType(CAMPAIGN_LAUNCHED, 1, "A campaign was launched (by hand, by its schedule or by the API).",
                          object(List.of("campaignId", "launchedAt"), "campaignId", TEXT, "name", NULLABLE_TEXT,
                                 "channel", NULLABLE_TEXT, "segmentId", NULLABLE_TEXT, "launchedAt", TIME,
                                 "trigger", NULLABLE_TEXT)),
            new WebhookEventType(CAMPAIGN_COMPLETED, 1, "Every recipient of a campaign has a final status.",
                          object(List.of("campaignId", "completedAt"), "campaignId", TEXT, "completedAt", TIME,
                                 "totals", object(List.of(), "audience", COUNT, "sent", COUNT, "failed", COUNT,
                                                  "skipped", COUNT, "unknown", COUNT))),
            new WebhookEventType(CAMPAIGN_FAILED, 1, "A campaign FAILED: its run cannot go on (reason "
                    + "channel-not-configured or segment-deleted, with a detail); or it completed without a single send "
                    + "going out (all-sends-failed); or the share of its finished sends that failed crossed the "
                    + "subscription's campaignFailureRate (failure-rate). Once per campaign and subscription.",
                          object(List.of("campaignId", "reason"), "campaignId", TEXT,
                                 "reason", Map.of("type", "string", "examples", List.of("channel-not-configured",
                                         "segment-deleted", "all-sends-failed", "failure-rate")),
                                 "detail", NULLABLE_TEXT,
                                 "failureRate", Map.of("type", List.of("number", "null")),
                                 "finished", COUNT, "failed", COUNT)),
            new WebhookEventType(DELIVERY_FAILED, 1, "Sends of a campaign that failed for good, batched per campaign and "
                    + "minute (one message, not one per recipient).",
                          object(List.of("campaignId", "minute", "count", "failures"), "campaignId", TEXT,
                                 "minute", TIME, "count", COUNT,
                                 "failures", Map.of("type", "array", "items", object(List.of("contactId", "status"),
                                         "contactId", TEXT, "status", TEXT, "reason", NULLABLE_TEXT,
                                         "attempts", COUNT)))),
            new WebhookEventType(CONTACT_CREATED, 1, "A contact was created (by the API, tracking, identify or an import).",
                          object(List.of("contactId", "source"), "contactId", TEXT, "externalId", NULLABLE_TEXT,
                                 "email", NULLABLE_TEXT, "phone", NULLABLE_TEXT, "attributes", OBJECT,
                                 "source", TEXT)),
            new WebhookEventType(CONTACT_UPDATED, 1, "A contact's profile or attributes changed.",
                          object(List.of("contactId"), "contactId", TEXT,
                                 "profile", OBJECT, "changed", Map.of("type", "array", "items", TEXT),
                                 "attributesSet", OBJECT, "attributesRemoved", Map.of("type", "array", "items", TEXT),
                                 "source", NULLABLE_TEXT)),
            new WebhookEventType(CONTACT_UNSUBSCRIBED, 1, "A contact's consent on a channel became UNSUBSCRIBED, BOUNCED or "
                    + "COMPLAINED.",
                          object(List.of("contactId", "channel", "status"), "contactId", TEXT, "channel", TEXT,
                                 "status", TEXT, "reason", NULLABLE_TEXT, "source", NULLABLE_TEXT)),
            new WebhookEventType(IMPORT_COMPLETED, 1, "A contact import finished.",
                          object(List.of("importId"), "importId", TEXT, "rowsRead", COUNT, "created", COUNT,
                                 "updated", COUNT, "rejected", COUNT)),
            new WebhookEventType(IMPORT_FAILED, 1, "A contact import stopped for good (what it stored stays).",
                          object(List.of("importId", "reason"), "importId", TEXT, "reason", TEXT, "rowsRead", COUNT,
                                 "created", COUNT, "updated", COUNT, "rejected", COUNT)),
            new WebhookEventType(FLOW_ENTERED, 1, "A contact entered a flow (a run started).", FLOW_RUN),
            new WebhookEventType(FLOW_EXITED, 1, "A flow run ended early: an exit condition, a stop.", FLOW_RUN),
            new WebhookEventType(FLOW_COMPLETED, 1, "A flow run reached an exit node.", FLOW_RUN),
            new WebhookEventType(WEBHOOK_DISABLED, 1, "Herald switched a subscription off after its endpoint failed for too "
                    + "long (sent to the other subscriptions).",
                          object(List.of("subscriptionId", "reason"), "subscriptionId", TEXT, "url", TEXT,
                                 "reason", TEXT)),
            new WebhookEventType(WEBHOOK_TEST, 1, "Sent on request (POST /api/webhooks/{id}/test) to check a receiver.",
                          object(List.of("subscriptionId"), "subscriptionId", TEXT, "message", TEXT)));

    private WebhookEventTypes() {
    }

    public static Optional<WebhookEventType> find(String type) {
        return ALL.stream().filter(t -> t.type().equals(type)).findFirst();
    }

    /** The types a subscription may name (all but the test event, which goes to whoever asks for it). */
    public static boolean subscribable(String type) {
        return find(type).isPresent() && !WEBHOOK_TEST.equals(type);
    }

    private static Map<String, Object> object(List<String> required, Object... properties) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (int i = 0; i < properties.length; i += 2) {
            props.put((String) properties[i], properties[i + 1]);
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("required", required);
        schema.put("properties", props);
        return schema;
    }
}
