package io.herald.saga.feedback;

import io.herald.api.campaign.Channel;
import io.herald.api.common.DomainException;
import io.herald.api.common.MetadataKeys;
import io.herald.api.contact.ChangeContactConsentCommand;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.feedback.EmailBouncedEvent;
import io.herald.api.feedback.EmailComplainedEvent;
import io.herald.saga.SagaProcessing;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns feedback into consent (processing group {@link SagaProcessing#EMAIL_FEEDBACK_CONSENT}: pooled, tokens in the
 * database, so a change is not lost across restarts; never replayed): a hard bounce sets the contact's e-mail
 * consent to {@code BOUNCED}, a complaint to {@code COMPLAINED}, so later campaigns and flows skip them. Soft bounces
 * change nothing. Sent as {@code actor: feedback}; a contact that no longer exists is passed over.
 */
@ProcessingGroup(SagaProcessing.EMAIL_FEEDBACK_CONSENT)
@DisallowReplay
class FeedbackConsent {

    static final String ACTOR = "feedback";
    private static final Logger log = LoggerFactory.getLogger(FeedbackConsent.class);

    @EventHandler
    void on(EmailBouncedEvent event, CommandGateway commands) {
        if (event.hard()) {
            change(commands, event.contactId(), ConsentStatus.BOUNCED, "hard bounce" + reason(event.bounceType(),
                   event.detail()), event.provider());
        }
    }

    @EventHandler
    void on(EmailComplainedEvent event, CommandGateway commands) {
        change(commands, event.contactId(), ConsentStatus.COMPLAINED,
               "complaint" + reason(event.complaintType(), null), event.provider());
    }

    private static void change(CommandGateway commands, String contactId, ConsentStatus status, String reason,
                               String provider) {
        try {
            commands.sendAndWait(new ChangeContactConsentCommand(contactId, Channel.EMAIL, status, reason,
                                                                 "feedback:" + provider),
                                 MetaData.with(MetadataKeys.ACTOR, ACTOR));
        } catch (CommandExecutionException e) {
            if (e.getDetails().orElse(null) instanceof DomainException || e.getCause() instanceof DomainException) {
                log.info("The consent of contact {} was not changed: {}", contactId, e.getMessage());
                return;
            }
            throw e;
        } catch (DomainException e) {
            log.info("The consent of contact {} was not changed: {}", contactId, e.getMessage());
        } catch (org.axonframework.modelling.command.AggregateNotFoundException e) {
            log.info("Contact {} no longer exists: its consent was not changed", contactId);
        }
    }

    private static String reason(String type, String detail) {
        String text = (type == null ? "" : " " + type) + (detail == null ? "" : ": " + detail);
        return text.length() > 400 ? text.substring(0, 400) : text;
    }
}
