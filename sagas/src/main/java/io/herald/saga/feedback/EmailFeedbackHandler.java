package io.herald.saga.feedback;

import io.herald.api.common.DomainException;
import io.herald.api.feedback.EmailBouncedEvent;
import io.herald.api.feedback.EmailComplainedEvent;
import io.herald.api.feedback.EmailFeedbackEvent;
import io.herald.api.feedback.EmailFeedbackReceived;
import io.herald.api.feedback.ReceiveEmailFeedbackCommand;
import io.herald.api.feedback.RecordSmtpBounceCommand;
import io.herald.saga.channel.EmailHeaders;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Receives providers' bounce and complaint notifications: verifies them ({@link SnsMessages}, {@link MailgunWebhooks}),
 * finds the delivery each names, and records each bounce or complaint once as an {@link EmailBouncedEvent} or
 * {@link EmailComplainedEvent} (a row of {@code email_feedback_received} per notification and recipient, inserted in
 * the command's transaction with the event: a repeat finds it and records nothing). A notification for an e-mail
 * Herald did not send (or no longer knows) is answered 2xx and only logged: providers retry anything else.
 */
class EmailFeedbackHandler {

    private static final Logger log = LoggerFactory.getLogger(EmailFeedbackHandler.class);
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The e-mail a delivery id names. */
    record Delivery(String deliveryId, String contactId, String campaignId, String flowId, String flowNodeId) {
    }

    private final FeedbackProperties properties;
    private final SnsMessages sns;
    private final MailgunWebhooks mailgun;
    private final JdbcTemplate jdbc;

    EmailFeedbackHandler(FeedbackProperties properties, SnsMessages sns, DataSource dataSource) {
        this.properties = properties;
        this.sns = sns;
        this.mailgun = properties.mailgun().signingKey() == null ? null
                : new MailgunWebhooks(properties.mailgun().signingKey(), properties.mailgun().maxAge());
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @CommandHandler
    EmailFeedbackReceived handle(ReceiveEmailFeedbackCommand command, EventBus eventBus, Clock clock) {
        return switch (command.provider()) {
            case SES -> ses(command.body(), eventBus, clock);
            case MAILGUN -> mailgun(command.body(), eventBus, clock);
        };
    }

    @CommandHandler
    EmailFeedbackReceived handle(RecordSmtpBounceCommand command, EventBus eventBus, Clock clock) {
        String deliveryId = EmailHeaders.normalized(command.deliveryId());
        return record(List.of(new FeedbackItem(SmtpBounces.PROVIDER, deliveryId,
                                               deliveryId == null ? command.deliveryId() : deliveryId,
                                               command.recipient(), false, true, "smtp-" + command.smtpCode(),
                                               command.detail(), clock.instant())), eventBus, clock);
    }

    private EmailFeedbackReceived ses(String body, EventBus eventBus, Clock clock) {
        SnsMessages.Message message = sns.verify(body);
        List<String> topics = properties.ses().topicArns();
        if (!topics.isEmpty() && !topics.contains(message.topicArn())) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, ReceiveEmailFeedbackCommand.SENDER_NOT_ALLOWED,
                                      "Messages of this SNS topic are not accepted (herald.feedback.ses.topic-arns)");
        }
        switch (message.type()) {
            case SnsMessages.SUBSCRIPTION_CONFIRMATION -> {
                if (!sns.confirm(message)) {
                    log.warn("The SNS subscription to {} could not be confirmed; SNS sends the confirmation again, or "
                                     + "confirm it in the AWS console", message.topicArn());
                    throw new DomainException(DomainException.Kind.CONFLICT, "feedback.confirmation-failed",
                                              "The subscription could not be confirmed at its SubscribeURL");
                }
                log.info("Confirmed the SNS subscription to {}", message.topicArn());
                return new EmailFeedbackReceived(EmailFeedbackReceived.SUBSCRIPTION_CONFIRMED);
            }
            case SnsMessages.UNSUBSCRIBE_CONFIRMATION -> {
                log.warn("SNS says the subscription to {} ended; bounces through it are no longer received",
                         message.topicArn());
                return new EmailFeedbackReceived(EmailFeedbackReceived.UNSUBSCRIBED);
            }
            default -> {
                return record(SesNotifications.read(message.message()), eventBus, clock);
            }
        }
    }

    private EmailFeedbackReceived mailgun(String body, EventBus eventBus, Clock clock) {
        if (mailgun == null) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, ReceiveEmailFeedbackCommand.PROVIDER_NOT_CONFIGURED,
                                      "Mailgun webhooks are not configured (herald.feedback.mailgun.signing-key)");
        }
        Instant now = clock.instant();
        MailgunWebhooks.Verified verified = mailgun.verify(body, now);
        jdbc.update("delete from email_feedback_token where seen_at < ?",
                    Timestamp.from(now.minus(properties.mailgun().maxAge().multipliedBy(2))));
        int fresh = jdbc.update("insert into email_feedback_token (token, event_id, seen_at) values (?, ?, ?) "
                                        + "on conflict (token) do nothing",
                                verified.token(), verified.eventId(), Timestamp.from(now));
        if (fresh == 0) {
            List<String> seen = jdbc.queryForList("select event_id from email_feedback_token where token = ?",
                                                  String.class, verified.token());
            if (seen.isEmpty() || !seen.get(0).equals(verified.eventId())) {
                throw SnsMessages.unsigned("This Mailgun signature token was already used");
            }
            // the same event again: Mailgun's retry, recorded once below
        }
        return record(verified.items(), eventBus, clock);
    }

    private EmailFeedbackReceived record(List<FeedbackItem> items, EventBus eventBus, Clock clock) {
        if (items.isEmpty()) {
            return new EmailFeedbackReceived(EmailFeedbackReceived.IGNORED);
        }
        String outcome = EmailFeedbackReceived.UNKNOWN_DELIVERY;
        for (FeedbackItem item : items) {
            Delivery delivery = delivery(item.deliveryId());
            if (delivery == null) {
                log.info("A {} {} for {} names no e-mail Herald sent (delivery {}): ignored", item.provider(),
                         item.complaint() ? "complaint" : "bounce", mask(item.recipient()), item.deliveryId());
                continue;
            }
            int inserted = jdbc.update("insert into email_feedback_received (provider, feedback_id, delivery_id, "
                                               + "received_at) values (?, ?, ?, ?) on conflict do nothing",
                                       item.provider(), item.feedbackId(), delivery.deliveryId(),
                                       Timestamp.from(clock.instant()));
            if (inserted == 0) {
                if (!EmailFeedbackReceived.RECORDED.equals(outcome)) {
                    outcome = EmailFeedbackReceived.DUPLICATE;
                }
                continue;
            }
            publish(eventBus, event(delivery, item, clock.instant()), clock.instant());
            outcome = EmailFeedbackReceived.RECORDED;
        }
        return new EmailFeedbackReceived(outcome);
    }

    static EmailFeedbackEvent event(Delivery d, FeedbackItem item, Instant now) {
        Instant at = item.at() == null ? now : item.at();
        return item.complaint()
                ? new EmailComplainedEvent(d.deliveryId(), d.contactId(), d.campaignId(), d.flowId(), d.flowNodeId(),
                                           item.provider(), item.feedbackId(), item.recipient(), item.type(), at)
                : new EmailBouncedEvent(d.deliveryId(), d.contactId(), d.campaignId(), d.flowId(), d.flowNodeId(),
                                        item.provider(), item.feedbackId(), item.recipient(), item.hard(), item.type(),
                                        item.detail(), at);
    }

    static void publish(EventBus eventBus, EmailFeedbackEvent event, Instant now) {
        eventBus.publish(new GenericEventMessage<>(UUID.randomUUID().toString(), event,
                                                   CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.correlationData()
                                                           : java.util.Map.of(), now));
    }

    /** The e-mail a delivery id names: a campaign's delivery row, or a flow run (and its send node); else null. */
    Delivery delivery(String deliveryId) {
        if (deliveryId == null) {
            return null;
        }
        int colon = deliveryId.indexOf(':');
        String first = deliveryId.substring(0, colon);
        String second = deliveryId.substring(colon + 1);
        if (!UUID_TEXT.matcher(first).matches()) {
            return null;
        }
        if (UUID_TEXT.matcher(second).matches()) {
            List<String> contact = jdbc.queryForList(
                    "select contact_id::text from delivery where campaign_id = ? and contact_id = ?::uuid",
                    String.class, first, second);
            if (!contact.isEmpty()) {
                return new Delivery(deliveryId, contact.get(0), first, null, null);
            }
        }
        return jdbc.query("select flow_id::text, contact_id::text from flow_run where run_id = ?::uuid",
                          (rs, row) -> new Delivery(deliveryId, rs.getString(2), null, rs.getString(1), second),
                          first).stream().findFirst().orElse(null);
    }

    private static String mask(String address) {
        int at = address == null ? -1 : address.indexOf('@');
        return at <= 0 ? "?" : address.charAt(0) + "…" + address.substring(at);
    }
}
