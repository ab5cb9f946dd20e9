package io.herald.gateway.webhook;

import io.herald.api.common.DomainException;
import io.herald.api.webhook.CheckWebhookTargetQuery;
import io.herald.api.webhook.CreateWebhookSubscriptionCommand;
import io.herald.api.webhook.DeleteWebhookSubscriptionCommand;
import io.herald.api.webhook.FindWebhookDeliveriesQuery;
import io.herald.api.webhook.FindWebhookSubscriptionQuery;
import io.herald.api.webhook.FindWebhookSubscriptionsQuery;
import io.herald.api.webhook.IssueWebhookSecretCommand;
import io.herald.api.webhook.RedeliverFailedWebhookMessagesCommand;
import io.herald.api.webhook.RedeliverWebhookMessageCommand;
import io.herald.api.webhook.RotateWebhookSecretCommand;
import io.herald.api.webhook.SendWebhookTestCommand;
import io.herald.api.webhook.UpdateWebhookSubscriptionCommand;
import io.herald.api.webhook.WebhookDeliveryPage;
import io.herald.api.webhook.WebhookEventTypes;
import io.herald.api.webhook.WebhookSecretView;
import io.herald.api.webhook.WebhookSubscriptionDefinition;
import io.herald.api.webhook.WebhookSubscriptionList;
import io.herald.api.webhook.WebhookSubscriptionView;
import io.herald.api.webhook.WebhookTargetCheck;
import io.herald.gateway.contact.Queries;
import io.herald.gateway.web.NotFoundException;
import io.herald.gateway.web.WritePath;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Outgoing webhook subscriptions (README, "Webhook subscriptions"): the subscriptions (an aggregate each; their
 * read model is written in the command's transaction), their secrets, test messages, deliveries and redeliveries
 * (the dispatcher's, in the sagas module), and the event catalogue.
 */
@RestController
@RequestMapping("/api/webhooks")
class WebhookController {

    private static final WritePath.Resource<WebhookSubscriptionView> WEBHOOKS = new WritePath.Resource<>(
            "/api/webhooks", WebhookSubscriptionView.class, FindWebhookSubscriptionQuery::new,
            WebhookSubscriptionView::version, WebhookController::notFound).writtenInCommandTransaction();

    private final QueryGateway queries;
    private final CommandGateway commands;
    private final WritePath writes;

    WebhookController(QueryGateway queries, CommandGateway commands, WritePath writes) {
        this.queries = queries;
        this.commands = commands;
        this.writes = writes;
    }

    /** A new subscription; {@code startFrom} (a past instant) replays the events stored since then. */
    record WebhookCreateRequest(String url, List<String> eventTypes, String description, Boolean enabled,
                         Double campaignFailureRate, Instant startFrom) {
    }

    /** A subscription's whole definition. */
    record WebhookUpdateRequest(String url, List<String> eventTypes, String description, Boolean enabled,
                         Double campaignFailureRate) {
    }

    /** The subscription as created, with its signing secret: the only time the secret is shown. */
    record WebhookCreated(String id, String url, List<String> eventTypes, String description, boolean enabled,
                               Double campaignFailureRate, Instant startFrom, String disabledReason,
                               Instant createdAt, Instant updatedAt, long version, String secret) {
    }

    record WebhookTestSent(String deliveryId) {
    }

    record WebhookRedelivered(int redelivered) {
    }

    record WebhookEventTypeList(List<WebhookEventTypes.WebhookEventType> items) {
    }

    @PostMapping
    ResponseEntity<WebhookCreated> create(@RequestBody WebhookCreateRequest request) {
        WebhookSubscriptionDefinition definition = new WebhookSubscriptionDefinition(
                request.url(), request.eventTypes(), request.description(),
                request.enabled() == null || request.enabled(), request.campaignFailureRate());
        checkTarget(request.url());
        String id = UUID.randomUUID().toString();
        ResponseEntity<WebhookSubscriptionView> created = writes.send(
                WEBHOOKS, id, new CreateWebhookSubscriptionCommand(id, definition, request.startFrom()), null,
                HttpStatus.CREATED);
        String secret = send(new IssueWebhookSecretCommand(id));
        WebhookSubscriptionView v = created.getBody();
        if (v == null) {
            v = new WebhookSubscriptionView(id, definition.url(), definition.eventTypes(), definition.description(),
                                            definition.enabled(), definition.campaignFailureRate(),
                                            request.startFrom(), null, null, null, 0);
        }
        return ResponseEntity.status(HttpStatus.CREATED).headers(created.getHeaders())
                .body(new WebhookCreated(v.id(), v.url(), v.eventTypes(), v.description(), v.enabled(),
                                              v.campaignFailureRate(), v.startFrom(), v.disabledReason(),
                                              v.createdAt(), v.updatedAt(), v.version(), secret));
    }

    @GetMapping
    WebhookSubscriptionList list() {
        return Queries.join(queries.query(new FindWebhookSubscriptionsQuery(),
                                          ResponseTypes.instanceOf(WebhookSubscriptionList.class)));
    }

    /** The catalogue: every event type with its payload version and the JSON Schema of its {@code data}. */
    @GetMapping("/event-types")
    WebhookEventTypeList eventTypes() {
        return new WebhookEventTypeList(WebhookEventTypes.ALL);
    }

    @GetMapping("/{id}")
    ResponseEntity<WebhookSubscriptionView> get(@PathVariable String id) {
        WebhookSubscriptionView view = find(id);
        return ResponseEntity.ok().eTag(WritePath.etag(view.version())).body(view);
    }

    /** Replaces the definition ({@code enabled} switches it on and off); {@code If-Match} (412 when stale). */
    @PutMapping("/{id}")
    ResponseEntity<WebhookSubscriptionView> update(@PathVariable String id, @RequestBody WebhookUpdateRequest request,
                                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false)
                                                   String ifMatch) {
        String subscriptionId = requireId(id);
        WebhookSubscriptionDefinition definition = new WebhookSubscriptionDefinition(
                request.url(), request.eventTypes(), request.description(),
                request.enabled() == null || request.enabled(), request.campaignFailureRate());
        find(subscriptionId);
        checkTarget(request.url());
        return writes.send(WEBHOOKS, subscriptionId, new UpdateWebhookSubscriptionCommand(subscriptionId, definition),
                           ifMatch, HttpStatus.OK);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        String subscriptionId = requireId(id);
        find(subscriptionId);
        writes.sendAndAwaitGone(WEBHOOKS, subscriptionId, new DeleteWebhookSubscriptionCommand(subscriptionId),
                                ifMatch);
        return ResponseEntity.noContent().build();
    }

    /** A new secret (shown once); the previous one keeps signing for 24 hours ({@code previousSecretExpiresAt}). */
    @PostMapping("/{id}/rotate-secret")
    WebhookSecretView rotateSecret(@PathVariable String id) {
        String subscriptionId = find(id).id();
        return send(new RotateWebhookSecretCommand(subscriptionId));
    }

    /** Queues a {@code webhook.test} message (also to a disabled subscription); 202 with its delivery id. */
    @PostMapping("/{id}/test")
    ResponseEntity<WebhookTestSent> test(@PathVariable String id) {
        String subscriptionId = find(id).id();
        String deliveryId = send(new SendWebhookTestCommand(subscriptionId));
        return ResponseEntity.accepted().body(new WebhookTestSent(deliveryId));
    }

    @GetMapping("/{id}/deliveries")
    WebhookDeliveryPage deliveries(@PathVariable String id, @RequestParam(required = false) String status,
                                   @RequestParam(required = false) Long before,
                                   @RequestParam(defaultValue = "50") int limit) {
        String subscriptionId = find(id).id();
        if (limit < 1 || limit > 200) {
            throw DomainException.invalid("limit", "webhook.deliveries.limit-invalid", "limit: 1 to 200");
        }
        return Queries.join(queries.query(new FindWebhookDeliveriesQuery(subscriptionId,
                                                                         status == null || status.isBlank() ? null
                                                                                 : status, before, limit),
                                          ResponseTypes.instanceOf(WebhookDeliveryPage.class)));
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/redeliver")
    ResponseEntity<WebhookRedelivered> redeliver(@PathVariable String id, @PathVariable String deliveryId) {
        String subscriptionId = find(id).id();
        int count = send(new RedeliverWebhookMessageCommand(subscriptionId, deliveryId));
        return ResponseEntity.accepted().body(new WebhookRedelivered(count));
    }

    @PostMapping("/{id}/redeliver-failed")
    ResponseEntity<WebhookRedelivered> redeliverFailed(@PathVariable String id) {
        String subscriptionId = find(id).id();
        int count = send(new RedeliverFailedWebhookMessagesCommand(subscriptionId));
        return ResponseEntity.accepted().body(new WebhookRedelivered(count));
    }

    /** 422 {@code webhook.url-refused} for a URL the dispatcher's outbound guard refuses (an internal address). */
    private void checkTarget(String url) {
        if (url == null) {
            return; // the aggregate says what is wrong
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return;
        }
        if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                || "https".equalsIgnoreCase(uri.getScheme()))) {
            return;
        }
        WebhookTargetCheck check = Queries.join(queries.query(new CheckWebhookTargetQuery(url),
                                                              ResponseTypes.instanceOf(WebhookTargetCheck.class)));
        if (check != null && check.refusal() != null) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "webhook.url-refused",
                                      "url: " + check.refusal(), "url", Map.of());
        }
    }

    private WebhookSubscriptionView find(String id) {
        WebhookSubscriptionView view = Queries.join(queries.query(new FindWebhookSubscriptionQuery(requireId(id)),
                                                                  ResponseTypes.instanceOf(
                                                                          WebhookSubscriptionView.class)));
        if (view == null) {
            throw notFound(id);
        }
        return view;
    }

    private <R> R send(Object command) {
        try {
            return commands.sendAndWait(command);
        } catch (RuntimeException e) {
            throw Queries.unwrap(e);
        }
    }

    private static String requireId(String id) {
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("webhook.not-found", "No webhook subscription " + id);
    }
}
