package io.herald.command.webhook;

import io.herald.api.common.DomainException;
import io.herald.api.common.MetadataKeys;
import io.herald.api.webhook.CreateWebhookSubscriptionCommand;
import io.herald.api.webhook.DeleteWebhookSubscriptionCommand;
import io.herald.api.webhook.DisableWebhookSubscriptionCommand;
import io.herald.api.webhook.UpdateWebhookSubscriptionCommand;
import io.herald.api.webhook.WebhookSubscriptionCreatedEvent;
import io.herald.api.webhook.WebhookSubscriptionDefinition;
import io.herald.api.webhook.WebhookSubscriptionDeletedEvent;
import io.herald.api.webhook.WebhookSubscriptionDisabledEvent;
import io.herald.api.webhook.WebhookSubscriptionUpdatedEvent;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

class WebhookSubscriptionTest {

    private static final String ID = "0b7a4c2e-5f7d-4f51-9a51-3a0f1e0c2b11";
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final WebhookSubscriptionDefinition DEF = new WebhookSubscriptionDefinition(
            "https://hooks.example.com/in", List.of("contact.created", "campaign.failed"), "CRM", true, null);

    private AggregateTestFixture<WebhookSubscription> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(WebhookSubscription.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static WebhookSubscriptionDefinition with(String url, List<String> types, Double rate) {
        return new WebhookSubscriptionDefinition(url, types, null, true, rate);
    }

    @Test
    void create_recordsTheDefinitionAndStartFrom() {
        Instant from = NOW.minus(Duration.ofDays(2));
        fixture.givenNoPriorActivity()
               .when(new CreateWebhookSubscriptionCommand(ID, DEF, from))
               .expectEvents(new WebhookSubscriptionCreatedEvent(ID, DEF, from, NOW));
    }

    @Test
    void create_withAnUnknownEventType_isRefusedNamingIt() {
        fixture.givenNoPriorActivity()
               .when(new CreateWebhookSubscriptionCommand(ID, with("https://x.example.com", List.of("contact.created",
                                                                                                   "contact.exploded"),
                                                                  null), null))
               .expectNoEvents()
               .expectException(DomainException.class)
               .expectExceptionMessage("eventTypes[1]: no event type 'contact.exploded' (GET /api/webhooks/event-types lists them)");
    }

    @Test
    void create_withABadUrl_isRefused() {
        for (String url : List.of("ftp://x.example.com/", "not a url", "/relative", "https://user:pw@x.example.com/")) {
            fixture.givenNoPriorActivity()
                   .when(new CreateWebhookSubscriptionCommand(ID, with(url, List.of("contact.created"), null), null))
                   .expectNoEvents()
                   .expectException(DomainException.class);
        }
    }

    @Test
    void create_withNoTypes_theTestType_aRateOutOfRange_orAFutureStart_isRefused() {
        fixture.givenNoPriorActivity()
               .when(new CreateWebhookSubscriptionCommand(ID, with("https://x.example.com", List.of(), null), null))
               .expectException(DomainException.class);
        fixture.givenNoPriorActivity()
               .when(new CreateWebhookSubscriptionCommand(ID, with("https://x.example.com", List.of("webhook.test"),
                                                                  null), null))
               .expectException(DomainException.class);
        fixture.givenNoPriorActivity()
               .when(new CreateWebhookSubscriptionCommand(ID, with("https://x.example.com", List.of("campaign.failed"),
                                                                  1.5), null))
               .expectException(DomainException.class);
        fixture.givenNoPriorActivity()
               .when(new CreateWebhookSubscriptionCommand(ID, DEF, NOW.plus(Duration.ofHours(1))))
               .expectException(DomainException.class);
    }

    @Test
    void update_withTheSameDefinition_recordsNothing_otherwiseTheNewOne() {
        fixture.given(new WebhookSubscriptionCreatedEvent(ID, DEF, null, NOW))
               .when(new UpdateWebhookSubscriptionCommand(ID, DEF))
               .expectNoEvents();
        WebhookSubscriptionDefinition off = new WebhookSubscriptionDefinition(DEF.url(), DEF.eventTypes(),
                                                                              DEF.description(), false, 0.2);
        fixture.given(new WebhookSubscriptionCreatedEvent(ID, DEF, null, NOW))
               .when(new UpdateWebhookSubscriptionCommand(ID, off))
               .expectEvents(new WebhookSubscriptionUpdatedEvent(ID, off, NOW));
    }

    @Test
    void update_withAStaleIfMatch_isRefused() {
        fixture.given(new WebhookSubscriptionCreatedEvent(ID, DEF, null, NOW),
                      new WebhookSubscriptionUpdatedEvent(ID, DEF, NOW))
               .when(new UpdateWebhookSubscriptionCommand(ID, DEF), Map.of(MetadataKeys.EXPECTED_VERSION, 0L))
               .expectNoEvents()
               .expectException(ConflictingAggregateVersionException.class);
    }

    @Test
    void disable_onceWhileOn_andEnablingByUpdateClearsIt() {
        fixture.given(new WebhookSubscriptionCreatedEvent(ID, DEF, null, NOW))
               .when(new DisableWebhookSubscriptionCommand(ID, "failing"))
               .expectEvents(new WebhookSubscriptionDisabledEvent(ID, DEF.url(), "failing", NOW));
        fixture.given(new WebhookSubscriptionCreatedEvent(ID, DEF, null, NOW),
                      new WebhookSubscriptionDisabledEvent(ID, DEF.url(), "failing", NOW))
               .when(new DisableWebhookSubscriptionCommand(ID, "failing"))
               .expectNoEvents();
        fixture.given(new WebhookSubscriptionCreatedEvent(ID, DEF, null, NOW),
                      new WebhookSubscriptionDisabledEvent(ID, DEF.url(), "failing", NOW))
               .when(new UpdateWebhookSubscriptionCommand(ID, DEF))
               .expectEvents(new WebhookSubscriptionUpdatedEvent(ID, DEF, NOW));
    }

    @Test
    void afterDelete_everyCommandIsNotFound() {
        fixture.given(new WebhookSubscriptionCreatedEvent(ID, DEF, null, NOW),
                      new WebhookSubscriptionDeletedEvent(ID, NOW))
               .when(new UpdateWebhookSubscriptionCommand(ID, DEF))
               .expectNoEvents()
               .expectException(DomainException.class);
        fixture.given(new WebhookSubscriptionCreatedEvent(ID, DEF, null, NOW))
               .when(new DeleteWebhookSubscriptionCommand(ID))
               .expectEvents(new WebhookSubscriptionDeletedEvent(ID, NOW));
    }
}
