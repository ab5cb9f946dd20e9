package io.herald.command.webhook;

import io.herald.api.common.DomainException;
import io.herald.api.webhook.CreateWebhookSubscriptionCommand;
import io.herald.api.webhook.DeleteWebhookSubscriptionCommand;
import io.herald.api.webhook.DisableWebhookSubscriptionCommand;
import io.herald.api.webhook.UpdateWebhookSubscriptionCommand;
import io.herald.api.webhook.WebhookEventTypes;
import io.herald.api.webhook.WebhookSubscriptionCreatedEvent;
import io.herald.api.webhook.WebhookSubscriptionDefinition;
import io.herald.api.webhook.WebhookSubscriptionDeletedEvent;
import io.herald.api.webhook.WebhookSubscriptionDisabledEvent;
import io.herald.api.webhook.WebhookSubscriptionUpdatedEvent;
import io.herald.command.ExpectedVersion;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.spring.stereotype.Aggregate;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An outgoing webhook subscription: its URL, event types, description, switch and campaign failure threshold. Its
 * history is the audit of who changed it. The signing secret is not its business (the dispatcher keeps it); neither
 * is whether the URL resolves to an internal address (the gateway asks the dispatcher's guard before writing, and the
 * dispatcher checks again at each send).
 */
@Aggregate
final class WebhookSubscription {

    static final String NOT_FOUND = "webhook.not-found";
    static final int MAX_URL = 2000;
    static final int MAX_DESCRIPTION = 500;
    /** How far back a replay may start. */
    static final Duration MAX_REPLAY = Duration.ofDays(90);

    @AggregateIdentifier
    private String subscriptionId;
    private WebhookSubscriptionDefinition definition;
    private boolean disabledByHerald;
    private boolean deleted;
    private long version;

    WebhookSubscription() {
        // for Axon
    }

    @CommandHandler
    WebhookSubscription(CreateWebhookSubscriptionCommand command, Clock clock) {
        Instant now = clock.instant();
        check(command.definition());
        if (command.startFrom() != null && (command.startFrom().isAfter(now.plusSeconds(1))
                || command.startFrom().isBefore(now.minus(MAX_REPLAY)))) {
            throw DomainException.invalid("startFrom", "webhook.start-from.invalid",
                                          "startFrom: a past moment, at most 90 days ago");
        }
        apply(new WebhookSubscriptionCreatedEvent(command.subscriptionId(), command.definition(), command.startFrom(),
                                                  now));
    }

    @CommandHandler
    long handle(UpdateWebhookSubscriptionCommand command, Clock clock) {
        check(command.definition());
        if (Objects.equals(definition, command.definition()) && !disabledByHerald) {
            return version;
        }
        apply(new WebhookSubscriptionUpdatedEvent(subscriptionId, command.definition(), clock.instant()));
        return version;
    }

    @CommandHandler
    long handle(DeleteWebhookSubscriptionCommand command, Clock clock) {
        apply(new WebhookSubscriptionDeletedEvent(subscriptionId, clock.instant()));
        return version;
    }

    @CommandHandler
    long handle(DisableWebhookSubscriptionCommand command, Clock clock) {
        if (!definition.enabled() || disabledByHerald) {
            return version; // already off
        }
        apply(new WebhookSubscriptionDisabledEvent(subscriptionId, definition.url(), command.reason(),
                                                   clock.instant()));
        return version;
    }

    @CommandHandlerInterceptor
    Object beforeEveryCommand(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        if (deleted) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, NOT_FOUND,
                                      "No webhook subscription " + subscriptionId);
        }
        if (subscriptionId != null) {
            ExpectedVersion.check(command, subscriptionId, version);
        }
        return chain.proceed();
    }

    /** Refuses a definition that cannot work: 400 naming the field. */
    static void check(WebhookSubscriptionDefinition definition) {
        if (definition == null) {
            throw DomainException.invalid("url", "webhook.url.invalid", "url: required");
        }
        String url = definition.url();
        if (url == null || url.isBlank()) {
            throw DomainException.invalid("url", "webhook.url.invalid", "url: required");
        }
        if (url.length() > MAX_URL) {
            throw DomainException.invalid("url", "webhook.url.invalid", "url: at most " + MAX_URL + " characters");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || uri.getHost() == null
                    || uri.getUserInfo() != null || uri.getFragment() != null) {
                throw DomainException.invalid("url", "webhook.url.invalid",
                                              "url: an absolute http or https URL with a host, no user or fragment");
            }
        } catch (URISyntaxException e) {
            throw DomainException.invalid("url", "webhook.url.invalid", "url: not a URL (" + e.getReason() + ")");
        }
        List<String> types = definition.eventTypes();
        if (types.isEmpty()) {
            throw DomainException.invalid("eventTypes", "webhook.event-types.empty",
                                          "eventTypes: at least one event type (GET /api/webhooks/event-types)");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            if (type == null || !WebhookEventTypes.subscribable(type)) {
                throw DomainException.invalid("eventTypes[" + i + "]", "webhook.event-type.unknown",
                                              "eventTypes[" + i + "]: no event type '" + type
                                                      + "' (GET /api/webhooks/event-types lists them)");
            }
            if (!seen.add(type)) {
                throw DomainException.invalid("eventTypes[" + i + "]", "webhook.event-type.duplicate",
                                              "eventTypes[" + i + "]: '" + type + "' twice");
            }
        }
        if (definition.description() != null && definition.description().length() > MAX_DESCRIPTION) {
            throw DomainException.invalid("description", "webhook.description.too-long",
                                          "description: at most " + MAX_DESCRIPTION + " characters");
        }
        Double rate = definition.campaignFailureRate();
        if (rate != null && (rate.isNaN() || rate <= 0 || rate > 1)) {
            throw DomainException.invalid("campaignFailureRate", "webhook.failure-rate.invalid",
                                          "campaignFailureRate: more than 0, at most 1");
        }
    }

    @EventSourcingHandler
    void on(WebhookSubscriptionCreatedEvent event, @SequenceNumber long sequence) {
        subscriptionId = event.subscriptionId();
        definition = event.definition();
        version = sequence;
    }

    @EventSourcingHandler
    void on(WebhookSubscriptionUpdatedEvent event, @SequenceNumber long sequence) {
        definition = event.definition();
        disabledByHerald = false;
        version = sequence;
    }

    @EventSourcingHandler
    void on(WebhookSubscriptionDisabledEvent event, @SequenceNumber long sequence) {
        disabledByHerald = true;
        version = sequence;
    }

    @EventSourcingHandler
    void on(WebhookSubscriptionDeletedEvent event, @SequenceNumber long sequence) {
        deleted = true;
        version = sequence;
    }
}
