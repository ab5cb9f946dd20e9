package io.herald.saga.webhook;

import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.CampaignFailedEvent;
import io.herald.api.campaign.CampaignLaunchedEvent;
import io.herald.api.contact.ContactAttributesChangedEvent;
import io.herald.api.contact.ContactConsentChangedEvent;
import io.herald.api.contact.ContactCreatedEvent;
import io.herald.api.contact.ContactImportCompletedEvent;
import io.herald.api.contact.ContactImportFailedEvent;
import io.herald.api.contact.ContactProfile;
import io.herald.api.contact.ContactProfileChangedEvent;
import io.herald.api.contact.ContactsImportedEvent;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.api.webhook.WebhookEventTypes;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a domain event means to webhook receivers: the messages ({@code type}, {@code data}) it makes, each with the
 * key that makes it once per subscription. Used by the live feed and by replays alike, so both send the same.
 */
final class WebhookEvents {

    /**
     * One message to queue.
     *
     * @param sourceKey stands for the event (its id, plus a suffix when the event makes several); null for batched ones
     * @param batchKey  for {@code delivery.failed}: messages of one campaign and minute merge while they wait
     * @param dueAt     when it may go out (a batch waits for its minute to end)
     */
    record Outgoing(String type, Map<String, Object> data, String sourceKey, String batchKey, Instant dueAt) {
    }

    private WebhookEvents() {
    }

    /** The messages {@code payload} makes (none for events of no webhook type). */
    static List<Outgoing> of(Object payload, String eventId, Instant at) {
        List<Outgoing> out = new ArrayList<>(1);
        switch (payload) {
            case ContactCreatedEvent e -> out.add(one(WebhookEventTypes.CONTACT_CREATED, created(e), eventId, at));
            case ContactsImportedEvent e -> {
                for (ContactsImportedEvent.ImportedContact contact : e.contacts()) {
                    out.add(new Outgoing(WebhookEventTypes.CONTACT_CREATED, created(e.creationOf(contact)),
                                         eventId + ":" + contact.contactId(), null, at));
                }
            }
            case ContactProfileChangedEvent e -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("contactId", e.contactId());
                data.put("profile", profile(e.profile()));
                data.put("changed", e.changed());
                data.put("source", e.source());
                out.add(one(WebhookEventTypes.CONTACT_UPDATED, data, eventId, at));
            }
            case ContactAttributesChangedEvent e -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("contactId", e.contactId());
                data.put("attributesSet", e.set());
                data.put("attributesRemoved", e.removed());
                data.put("source", e.source());
                out.add(one(WebhookEventTypes.CONTACT_UPDATED, data, eventId, at));
            }
            case ContactConsentChangedEvent e -> {
                if (e.consent() != null && e.consent().status() != null
                        && e.consent().status() != ConsentStatus.SUBSCRIBED && e.previous() != e.consent().status()) {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("contactId", e.contactId());
                    data.put("channel", e.channel().name());
                    data.put("status", e.consent().status().name());
                    data.put("reason", e.consent().reason());
                    data.put("source", e.consent().source());
                    out.add(one(WebhookEventTypes.CONTACT_UNSUBSCRIBED, data, eventId, at));
                }
            }
            case ContactImportCompletedEvent e -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("importId", e.importId());
                data.put("rowsRead", e.rowsRead());
                data.put("created", e.created());
                data.put("updated", e.updated());
                data.put("rejected", e.rejected());
                out.add(one(WebhookEventTypes.IMPORT_COMPLETED, data, eventId, at));
            }
            case ContactImportFailedEvent e -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("importId", e.importId());
                data.put("reason", e.reason());
                data.put("rowsRead", e.rowsRead());
                data.put("created", e.created());
                data.put("updated", e.updated());
                data.put("rejected", e.rejected());
                out.add(one(WebhookEventTypes.IMPORT_FAILED, data, eventId, at));
            }
            case CampaignLaunchedEvent e -> {
                Map<String, Object> data = new LinkedHashMap<>();
                CampaignDefinition d = e.definition();
                data.put("campaignId", e.campaignId());
                data.put("name", d == null ? null : d.name());
                data.put("channel", d == null || d.channel() == null ? null : d.channel().name());
                data.put("segmentId", d == null ? null : d.segmentId());
                data.put("launchedAt", String.valueOf(e.launchedAt()));
                data.put("trigger", e.trigger() == null ? null : e.trigger().toString());
                out.add(one(WebhookEventTypes.CAMPAIGN_LAUNCHED, data, eventId, at));
            }
            case CampaignCompletedEvent e -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("campaignId", e.campaignId());
                data.put("completedAt", String.valueOf(e.completedAt()));
                if (e.totals() != null) {
                    data.put("totals", Map.of("audience", e.totals().audience(), "sent", e.totals().sent(),
                                              "failed", e.totals().failed(), "skipped", e.totals().skipped(),
                                              "unknown", e.totals().unknown()));
                }
                out.add(one(WebhookEventTypes.CAMPAIGN_COMPLETED, data, eventId, at));
            }
            case CampaignFailedEvent e -> {
                // keyed by the campaign, not the event: one campaign.failed per subscription, whichever reason is first
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("campaignId", e.campaignId());
                data.put("reason", e.reason());
                data.put("detail", e.detail());
                data.put("failureRate", null);
                data.put("finished", 0); // it fails before a send of the run has finished (or with none to make)
                data.put("failed", 0);
                out.add(new Outgoing(WebhookEventTypes.CAMPAIGN_FAILED, data, campaignFailedKey(e.campaignId()), null,
                                     at));
            }
            case DeliveryBatchRecordedEvent e -> {
                List<Map<String, Object>> failures = new ArrayList<>();
                e.outcomes().stream()
                        .filter(o -> o.status() == DeliveryStatus.FAILED || o.status() == DeliveryStatus.UNKNOWN)
                        .forEach(o -> {
                            Map<String, Object> failure = new LinkedHashMap<>();
                            failure.put("contactId", o.contactId());
                            failure.put("status", o.status().name());
                            failure.put("reason", o.reason());
                            failure.put("attempts", o.attempts());
                            failures.add(failure);
                        });
                if (!failures.isEmpty()) {
                    Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("campaignId", e.campaignId());
                    data.put("minute", minute.toString());
                    data.put("count", failures.size());
                    data.put("failures", failures);
                    out.add(new Outgoing(WebhookEventTypes.DELIVERY_FAILED, data, null,
                                         e.campaignId() + ":" + minute, minute.plus(1, ChronoUnit.MINUTES)));
                }
            }
            default -> {
                // not a webhook event
            }
        }
        return out;
    }

    /** The source key of a campaign's {@code campaign.failed}, whatever its reason. */
    static String campaignFailedKey(String campaignId) {
        return "campaign-failed:" + campaignId;
    }

    private static Outgoing one(String type, Map<String, Object> data, String eventId, Instant at) {
        return new Outgoing(type, data, eventId, null, at);
    }

    private static Map<String, Object> created(ContactCreatedEvent e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("contactId", e.contactId());
        ContactProfile p = e.profile() == null ? ContactProfile.EMPTY : e.profile();
        data.put("externalId", p.externalId());
        data.put("email", p.email());
        data.put("phone", p.phone());
        data.put("attributes", e.attributes() == null ? Map.of() : e.attributes());
        data.put("source", e.source());
        return data;
    }

    private static Map<String, Object> profile(ContactProfile p) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (p != null) {
            data.put("externalId", p.externalId());
            data.put("email", p.email());
            data.put("phone", p.phone());
            data.put("timeZone", p.timeZone());
            data.put("locale", p.locale());
        }
        return data;
    }
}
