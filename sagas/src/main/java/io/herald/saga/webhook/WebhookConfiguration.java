package io.herald.saga.webhook;

import io.herald.eventstore.PromptEventSource;
import io.herald.saga.SagaProcessing;
import io.herald.saga.channel.OutboundUrlGuard;
import io.herald.saga.delivery.FailureLog;
import io.herald.saga.secret.StoredSecrets;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.Base64;

/**
 * Outgoing webhook subscriptions: the feed processor, the outbox, the secrets, the sender (on unless
 * {@code herald.webhooks.sender-enabled=false}) and the replays.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookConfiguration {

    /** Name of the generated key in {@code herald_secret} when {@code herald.webhooks.secret-key} is not set. */
    static final String STORED_KEY = "webhook-secret-key";

    /**
     * The feed processor: pooled, one segment (subscription events and domain events in stream order), its first
     * token at the head of the stream (no subscription exists before it first runs).
     */
    @Bean
    ConfigurerModule webhookFeedProcessor(ObjectProvider<PromptEventSource> source) {
        return configurer -> configurer.eventProcessing(processing -> processing.registerPooledStreamingEventProcessor(
                SagaProcessing.WEBHOOK_FEED, c -> source.getObject(),
                (c, builder) -> builder.initialToken(StreamableMessageSource::createHeadToken)
                        .initialSegmentCount(1).batchSize(500)));
    }

    @Bean
    @DependsOnDatabaseInitialization // the generated key lives in herald_secret, made by Flyway
    SecretCipher webhookSecretCipher(WebhookProperties properties, DataSource dataSource) {
        byte[] key;
        if (properties.secretKey() != null) {
            try {
                key = Base64.getDecoder().decode(properties.secretKey());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("herald.webhooks.secret-key: base64 of an AES key (16, 24 or 32 bytes)");
            }
        } else {
            key = StoredSecrets.bytes(dataSource, STORED_KEY);
        }
        return new SecretCipher(key);
    }

    @Bean
    WebhookSecrets webhookSecrets(DataSource dataSource, SecretCipher cipher, WebhookProperties properties,
                                  Clock clock) {
        return new WebhookSecrets(dataSource, cipher, properties, clock);
    }

    @Bean
    WebhookWakeUp webhookWakeUp() {
        return new WebhookWakeUp();
    }

    @Bean
    WebhookOutbox webhookOutbox(DataSource dataSource, WebhookWakeUp wakeUp) {
        return new WebhookOutbox(dataSource, wakeUp);
    }

    @Bean
    WebhookFeed webhookFeed(DataSource dataSource, WebhookOutbox outbox, WebhookSecrets secrets, FailureLog failures,
                            WebhookProperties properties, Clock clock) {
        return new WebhookFeed(dataSource, outbox, secrets, failures, properties, clock);
    }

    @Bean
    WebhookRequests webhookRequests(DataSource dataSource, WebhookSecrets secrets, WebhookOutbox outbox,
                                    OutboundUrlGuard guard, Clock clock) {
        return new WebhookRequests(dataSource, secrets, outbox, guard, clock);
    }

    @Bean
    @ConditionalOnProperty(name = "herald.webhooks.sender-enabled", havingValue = "true", matchIfMissing = true)
    WebhookReplays webhookReplays(DataSource dataSource, PlatformTransactionManager transactionManager,
                                  EventStore eventStore, WebhookOutbox outbox, Clock clock) {
        return new WebhookReplays(dataSource, new TransactionTemplate(transactionManager), eventStore, outbox, clock);
    }

    @Bean
    @ConditionalOnProperty(name = "herald.webhooks.sender-enabled", havingValue = "true", matchIfMissing = true)
    WebhookSender webhookSender(DataSource dataSource, PlatformTransactionManager transactionManager,
                                WebhookSecrets secrets, FailureLog failures, OutboundUrlGuard guard,
                                CommandGateway commands, WebhookProperties properties, WebhookReplays replays,
                                WebhookWakeUp wakeUp, Clock clock) {
        return new WebhookSender(dataSource, new TransactionTemplate(transactionManager), secrets, failures, guard,
                                 commands, properties, replays, wakeUp, clock);
    }
}
