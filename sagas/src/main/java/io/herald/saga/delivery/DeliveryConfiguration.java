package io.herald.saga.delivery;

import io.herald.saga.channel.ChannelAdapter;
import io.herald.saga.channel.EmailChannel;
import io.herald.saga.channel.OutboundUrlGuard;
import io.herald.saga.channel.SmsChannel;
import io.herald.saga.channel.WebhookChannel;
import io.herald.saga.secret.StoredSecrets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The channels and this instance's delivery worker. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DeliveryProperties.class, DeliveryTracingProperties.class})
public class DeliveryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeliveryConfiguration.class);

    @Bean
    OutboundUrlGuard outboundUrlGuard(DeliveryProperties properties) {
        if (properties.allowPrivateTargets()) {
            log.warn("herald.delivery.allow-private-targets is on: webhooks may reach private and loopback addresses");
        }
        return new OutboundUrlGuard(properties.allowPrivateTargets());
    }

    /** The configured channels: webhook always, e-mail with {@code spring.mail.host}, SMS with a provider URL. */
    @Bean
    DeliveryChannels deliveryChannels(DeliveryProperties properties, OutboundUrlGuard guard,
                                      ObjectProvider<JavaMailSender> mail, ChannelConcurrency concurrency,
                                      DataSource dataSource, Clock clock) {
        List<ChannelAdapter> adapters = new ArrayList<>();
        String secret = properties.webhook().signingSecret();
        if (secret == null || secret.isBlank()) {
            secret = StoredSecrets.text(dataSource, "webhook-signing");
        }
        adapters.add(new WebhookChannel(secret, properties.webhook().connectTimeout(), properties.webhook().timeout(),
                                        guard, clock));
        JavaMailSender sender = mail.getIfAvailable();
        if (sender != null) {
            String from = properties.email().from() == null || properties.email().from().isBlank()
                    ? "herald@localhost" : properties.email().from();
            // open SMTP connections kept between groups: as many as this worker's senders send on at once
            int connections = Math.max(1, concurrency.concurrency(io.herald.api.campaign.Channel.EMAIL))
                    * Math.max(1, properties.worker().senders());
            adapters.add(new EmailChannel(sender, from, connections));
        } else {
            log.info("E-mail channel not configured (spring.mail.host / HERALD_SMTP_HOST): e-mail sends fail");
        }
        DeliveryProperties.Sms sms = properties.sms();
        if (sms.baseUrl() != null && !sms.baseUrl().isBlank()) {
            guard.refusal(java.net.URI.create(sms.baseUrl())).ifPresent(refusal -> {
                throw new IllegalStateException("herald.delivery.sms.base-url: " + refusal);
            });
            adapters.add(new SmsChannel(sms.baseUrl(), sms.accountSid(), sms.authToken(), sms.from(), sms.timeout()));
        } else {
            log.info("SMS channel not configured (HERALD_SMS_BASE_URL): SMS sends fail");
        }
        return new DeliveryChannels(List.copyOf(adapters));
    }

    /** The channel adapters in use; closing them (at shutdown) closes the e-mail channel's open connections. */
    public record DeliveryChannels(List<ChannelAdapter> adapters) implements AutoCloseable {

        @Override
        public void close() {
            for (ChannelAdapter adapter : adapters) {
                if (adapter instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        log.warn("Closing the {} channel: {}", adapter.channel(), e.toString());
                    }
                }
            }
        }
    }

    /**
     * The worker's spans when tracing is on ({@code herald.tracing.enabled}, set from {@code HERALD_OTLP_ENDPOINT}
     * by the application); without this bean the worker makes none.
     */
    @Bean
    @ConditionalOnProperty(name = "herald.tracing.enabled", havingValue = "true")
    DeliveryTracing deliveryTracing(OpenTelemetry openTelemetry, DeliveryTracingProperties properties, Clock clock) {
        return new DeliveryTracing(openTelemetry.getTracer("io.herald.delivery"), properties.maxParentAge(),
                                   properties.clientSpansPerBatch(), clock);
    }

    @Bean
    @ConditionalOnProperty(name = "herald.delivery.worker.enabled", havingValue = "true", matchIfMissing = true)
    DeliveryWorker deliveryWorker(DeliveryStore store, CampaignRuns runs, Deliveries deliveries, DeliveryJournal journal,
                                  io.herald.eventstore.work.WorkerRegistry workers,
                                  FailureLog failureLog, DeliveryProperties properties, DeliveryChannels channels,
                                  SendThrottle throttle, ChannelConcurrency concurrency,
                                  UnsubscribeLinks unsubscribeLinks, io.herald.saga.engagement.EmailTracking emailTracking,
                                  QueryGateway queries, CommandGateway commands,
                                  EventBus eventBus, TransactionManager axonTransactions,
                                  PlatformTransactionManager transactionManager, Clock clock,
                                  DeliveryMetrics metrics, ObjectProvider<DeliveryTracing> tracing,
                                  io.herald.saga.policy.MessagingPolicyGate policy) {
        return new DeliveryWorker(store, runs, deliveries, journal, workers, failureLog, properties, channels.adapters(),
                                  throttle, concurrency, unsubscribeLinks, emailTracking, queries, commands, eventBus,
                                  axonTransactions, transactionManager, clock, metrics,
                                  tracing.getIfAvailable(() -> DeliveryTracing.OFF), policy);
    }

    /** {@code herald.sends} and {@code herald.delivery.throttle.wait} (README, "Metrics"). */
    @Bean
    DeliveryMetrics deliveryMetrics(ObjectProvider<MeterRegistry> registry) {
        return new DeliveryMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** The backlog gauges, where a delivery worker runs (the tables are shared: one instance's view is everyone's). */
    @Bean
    @ConditionalOnProperty(name = "herald.delivery.worker.enabled", havingValue = "true", matchIfMissing = true)
    BacklogMetrics backlogMetrics(DataSource dataSource, Clock clock) {
        return new BacklogMetrics(dataSource, clock);
    }
}
