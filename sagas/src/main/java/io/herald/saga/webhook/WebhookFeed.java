package io.herald.saga.webhook;

import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignFailedEvent;
import io.herald.api.campaign.CampaignLaunchedEvent;
import io.herald.api.contact.ContactAttributesChangedEvent;
import io.herald.api.contact.ContactConsentChangedEvent;
import io.herald.api.contact.ContactCreatedEvent;
import io.herald.api.contact.ContactImportCompletedEvent;
import io.herald.api.contact.ContactImportFailedEvent;
import io.herald.api.contact.ContactProfileChangedEvent;
import io.herald.api.contact.ContactsImportedEvent;
import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.api.delivery.DeliveryStatus;
import io.herald.api.webhook.WebhookEventTypes;
import io.herald.api.webhook.WebhookSubscriptionCreatedEvent;
import io.herald.api.webhook.WebhookSubscriptionDefinition;
import io.herald.api.webhook.WebhookSubscriptionDeletedEvent;
import io.herald.api.webhook.WebhookSubscriptionDisabledEvent;
import io.herald.api.webhook.WebhookSubscriptionUpdatedEvent;
import io.herald.saga.SagaProcessing;
import io.herald.saga.delivery.FailureLog;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook feed (processing group {@link SagaProcessing#WEBHOOK_FEED}: a pooled processor, one segment, tokens
 * in the database, so nothing is missed across restarts): keeps the dispatcher's view of the subscriptions
 * ({@code webhook_endpoint}) from their events, and turns the domain events of the catalogue into messages in the
 * outbox, in the processor's transaction. Never replayed: a reset would send everything again.
 * <p>
 * The messages of a batch's domain events are collected and written together when the batch commits (one JDBC batch,
 * in event order, in the same transaction as the token), rather than one statement per event; anything else that
 * writes to the outbox or changes the subscriptions first writes what was collected, so the order of the stream
 * holds (a subscription gets no message of an event stored before it was created).
 */
@ProcessingGroup(SagaProcessing.WEBHOOK_FEED)
@DisallowReplay
class WebhookFeed {

    private static final Logger log = LoggerFactory.getLogger(WebhookFeed.class);
    /** The unit-of-work resource holding the messages collected in the current batch. */
    private static final String PENDING = WebhookFeed.class.getName() + ".pending";
    /** campaign.failed's reason when a campaign completed without a single send going out. */
    static final String ALL_SENDS_FAILED = "all-sends-failed";

    private final JdbcTemplate jdbc;
    private final WebhookOutbox outbox;
    private final WebhookSecrets secrets;
    private final FailureLog failures;
    private final WebhookProperties properties;
    private final Clock clock;

    WebhookFeed(DataSource dataSource, WebhookOutbox outbox, WebhookSecrets secrets, FailureLog failures,
                WebhookProperties properties, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.outbox = outbox;
        this.secrets = secrets;
        this.failures = failures;
        this.properties = properties;
        this.clock = clock;
    }

    // --- the subscriptions

    @EventHandler
    void on(WebhookSubscriptionCreatedEvent event, TrackingToken token) {
        writePending();
        WebhookSubscriptionDefinition d = event.definition();
        long position = token.position().orElse(0L);
        boolean replay = event.startFrom() != null && event.startFrom().isBefore(event.createdAt());
        jdbc.update("insert into webhook_endpoint (subscription_id, url, event_types, enabled, campaign_failure_rate, "
                            + "created_position, start_from, backfill_done) values (?, ?, ?, ?, ?, ?, ?, ?) "
                            + "on conflict (subscription_id) do nothing",
                    event.subscriptionId(), d.url(), d.eventTypes().toArray(String[]::new), d.enabled(),
                    d.campaignFailureRate(), position,
                    event.startFrom() == null ? null : Timestamp.from(event.startFrom()), !replay);
    }

    @EventHandler
    void on(WebhookSubscriptionUpdatedEvent event) {
        writePending();
        WebhookSubscriptionDefinition d = event.definition();
        jdbc.update("update webhook_endpoint set url = ?, event_types = ?, enabled = ?, campaign_failure_rate = ?, "
                            + "failing_since = case when ? then null else failing_since end where subscription_id = ?",
                    d.url(), d.eventTypes().toArray(String[]::new), d.enabled(), d.campaignFailureRate(), d.enabled(),
                    event.subscriptionId());
    }

    @EventHandler
    void on(WebhookSubscriptionDisabledEvent event, EventMessage<?> message) {
        writePending();
        jdbc.update("update webhook_endpoint set enabled = false where subscription_id = ?", event.subscriptionId());
        log.warn("Webhook subscription {} ({}) was disabled: {}", event.subscriptionId(), event.url(), event.reason());
        failures.logWebhook(event.subscriptionId(), null, "webhook-disabled", event.reason(), 0, "FAILED", null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscriptionId", event.subscriptionId());
        data.put("url", event.url());
        data.put("reason", event.reason());
        outbox.queueLive(new WebhookEvents.Outgoing(WebhookEventTypes.WEBHOOK_DISABLED, data, message.getIdentifier(),
                                                   null, event.disabledAt()), clock.instant(), event.subscriptionId());
    }

    @EventHandler
    void on(WebhookSubscriptionDeletedEvent event) {
        writePending();
        String id = event.subscriptionId();
        jdbc.update("delete from webhook_attempt where subscription_id = ?", id);
        jdbc.update("delete from webhook_message where subscription_id = ?", id);
        jdbc.update("delete from webhook_endpoint where subscription_id = ?", id);
        secrets.delete(id);
    }

    // --- the catalogue's domain events

    @EventHandler
    void on(ContactCreatedEvent event, EventMessage<?> message) {
        queue(event, message);
    }

    @EventHandler
    void on(ContactsImportedEvent event, EventMessage<?> message) {
        queue(event, message);
    }

    @EventHandler
    void on(ContactProfileChangedEvent event, EventMessage<?> message) {
        queue(event, message);
    }

    @EventHandler
    void on(ContactAttributesChangedEvent event, EventMessage<?> message) {
        queue(event, message);
    }

    @EventHandler
    void on(ContactConsentChangedEvent event, EventMessage<?> message) {
        queue(event, message);
    }

    @EventHandler
    void on(ContactImportCompletedEvent event, EventMessage<?> message) {
        queue(event, message);
    }

    @EventHandler
    void on(ContactImportFailedEvent event, EventMessage<?> message) {
        queue(event, message);
    }

    @EventHandler
    void on(CampaignLaunchedEvent event, EventMessage<?> message) {
        queue(event, message);
    }

    @EventHandler
    void on(CampaignCompletedEvent event, EventMessage<?> message) {
        queue(event, message);
        writePending();
        if (event.totals() != null) {
            long finished = event.totals().finished();
            long failed = event.totals().failed() + event.totals().unknown();
            if (failed > 0 && event.totals().sent() == 0) {
                // nothing at all went out: the run could not do its work
                outbox.queueCampaignFailed(event.campaignId(), ALL_SENDS_FAILED, null, finished, failed,
                                           clock.instant());
            } else if (finished > 0 && failed > 0) {
                outbox.queueCampaignFailed(event.campaignId(), WebhookOutbox.FAILURE_RATE, null, finished, failed,
                                           clock.instant());
            }
        }
        jdbc.update("delete from webhook_campaign_tally where campaign_id = ?", event.campaignId());
    }

    /**
     * The campaign FAILED (its run cannot go on): {@code campaign.failed} with the event's reason and detail
     * ({@link WebhookEvents}, so a replay from {@code startFrom} sends it too), to every enabled subscription taking
     * the type, once per subscription and campaign (a subscription that had it already, from its failure rate, gets no
     * second one).
     */
    @EventHandler
    void on(CampaignFailedEvent event, EventMessage<?> message) {
        queue(event, message);
        writePending();
        jdbc.update("delete from webhook_campaign_tally where campaign_id = ?", event.campaignId());
    }

    @EventHandler
    void on(DeliveryBatchRecordedEvent event, EventMessage<?> message) {
        queue(event, message);
        writePending();
        long failed = event.failed() + event.unknown();
        List<Map<String, Object>> tally = jdbc.queryForList(
                "insert into webhook_campaign_tally (campaign_id, finished, failed) values (?, ?, ?) "
                        + "on conflict (campaign_id) do update set finished = webhook_campaign_tally.finished + "
                        + "excluded.finished, failed = webhook_campaign_tally.failed + excluded.failed "
                        + "returning finished, failed", event.campaignId(), event.finished(), failed);
        long finishedSoFar = ((Number) tally.get(0).get("finished")).longValue();
        long failedSoFar = ((Number) tally.get(0).get("failed")).longValue();
        boolean channelMissing = event.outcomes().stream().anyMatch(
                o -> o.status() == DeliveryStatus.FAILED && CampaignFailedEvent.CHANNEL_NOT_CONFIGURED.equals(o.reason()));
        // a channel without settings fails the campaign itself (CampaignFailedEvent follows, with that reason): its
        // failed sends are not announced as a failure rate first
        if (!channelMissing && failed > 0 && finishedSoFar >= properties.failureRateMinSends()) {
            outbox.queueCampaignFailed(event.campaignId(), WebhookOutbox.FAILURE_RATE, null, finishedSoFar,
                                       failedSoFar, clock.instant());
        }
    }

    private void queue(Object payload, EventMessage<?> message) {
        List<WebhookEvents.Outgoing> messages = WebhookEvents.of(payload, message.getIdentifier(),
                                                                 message.getTimestamp());
        if (messages.isEmpty()) {
            return;
        }
        if (!CurrentUnitOfWork.isStarted()) {
            outbox.queueLiveInOrder(messages, clock.instant());
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        List<WebhookEvents.Outgoing> pending = batch.getOrComputeResource(PENDING, key -> {
            List<WebhookEvents.Outgoing> collected = new ArrayList<>();
            batch.onPrepareCommit(u -> write(collected)); // before the transaction (and the token) commits
            return collected;
        });
        pending.addAll(messages);
    }

    /** Writes the messages collected so far in this batch (before anything else touches the outbox). */
    private void writePending() {
        if (CurrentUnitOfWork.isStarted()) {
            List<WebhookEvents.Outgoing> pending = CurrentUnitOfWork.get().root().getResource(PENDING);
            if (pending != null) {
                write(pending);
            }
        }
    }

    private void write(List<WebhookEvents.Outgoing> pending) {
        if (!pending.isEmpty()) {
            outbox.queueLiveInOrder(List.copyOf(pending), clock.instant());
            pending.clear();
        }
    }
}
