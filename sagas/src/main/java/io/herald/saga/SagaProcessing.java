package io.herald.saga;

import io.herald.eventstore.ProcessingGroups;
import io.herald.eventstore.PromptEventSource;
import org.axonframework.config.ConfigurerModule;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/**
 * The sagas' processing groups: their names, their processor settings
 * ({@code io/herald/saga/processing.properties}) and their registration.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:io/herald/saga/processing.properties")
public class SagaProcessing {

    /** The campaign send saga (pooled). */
    public static final String CAMPAIGN_SEND = "campaign-send";
    /** Live updates of delivery progress and failures (a live processor in each instance). */
    public static final String DELIVERY_LIVE = "delivery-live";
    /**
     * Flow event triggers: tracked events that enter contacts into flows (pooled, tokens in the database,
     * starting at the head of the stream; registered by {@code FlowRuntimeConfiguration}).
     */
    public static final String FLOW_TRIGGERS = "flow-triggers";
    /**
     * The webhook feed: subscriptions and the catalogue's domain events into the outbox (pooled, one segment, tokens
     * in the database, starting at the head of the stream; registered by {@code WebhookConfiguration}; never replayed).
     */
    public static final String WEBHOOK_FEED = "webhook-feed";
    /**
     * Consent from e-mail feedback: hard bounces and complaints into the contact's consent (pooled, one segment, tokens
     * in the database, starting at the head of the stream; registered by {@code FeedbackConfiguration}; never
     * replayed).
     */
    public static final String EMAIL_FEEDBACK_CONSENT = "email-feedback-consent";

    @Bean
    ConfigurerModule sagaLiveGroups(ObjectProvider<PromptEventSource> source) {
        return ProcessingGroups.live(source, DELIVERY_LIVE);
    }
}
