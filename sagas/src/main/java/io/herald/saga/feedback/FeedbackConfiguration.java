package io.herald.saga.feedback;

import io.herald.eventstore.PromptEventSource;
import io.herald.saga.SagaProcessing;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * Bounces and complaints from providers' event webhooks: the receiving command handler, and the consent processor
 * (pooled, one segment, its first token at the head of the stream).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FeedbackProperties.class)
public class FeedbackConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FeedbackConfiguration.class);

    @Bean
    ConfigurerModule feedbackConsentProcessor(ObjectProvider<PromptEventSource> source) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessor(
                        SagaProcessing.EMAIL_FEEDBACK_CONSENT, c -> source.getObject(),
                        (c, builder) -> builder.initialToken(StreamableMessageSource::createHeadToken)
                                .initialSegmentCount(1).batchSize(50))
                .registerListenerInvocationErrorHandler(SagaProcessing.EMAIL_FEEDBACK_CONSENT,
                                                        c -> PropagatingErrorHandler.instance()));
    }

    @Bean
    SnsMessages snsMessages(FeedbackProperties properties) {
        if (properties.ses().topicArns().isEmpty()) {
            log.info("herald.feedback.ses.topic-arns is empty: SNS messages of any topic are accepted at /feedback/ses");
        }
        return new SnsMessages(properties.ses());
    }

    @Bean
    EmailFeedbackHandler emailFeedbackHandler(FeedbackProperties properties, SnsMessages sns, DataSource dataSource) {
        return new EmailFeedbackHandler(properties, sns, dataSource);
    }

    @Bean
    FeedbackConsent feedbackConsent() {
        return new FeedbackConsent();
    }
}
