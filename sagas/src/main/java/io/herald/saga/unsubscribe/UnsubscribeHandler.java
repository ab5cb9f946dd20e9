package io.herald.saga.unsubscribe;

import io.herald.api.common.DomainException;
import io.herald.api.common.MetadataKeys;
import io.herald.api.contact.ChangeContactConsentCommand;
import io.herald.api.contact.ConsentStatus;
import io.herald.api.delivery.FindUnsubscribeLinkQuery;
import io.herald.api.delivery.UnsubscribeCommand;
import io.herald.api.delivery.UnsubscribeLinkView;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;

/**
 * Uses unsubscribe links: checks the token's signature and turns it into the contact's consent
 * change ({@code UNSUBSCRIBED} on the link's channel, an event in the contact's history). Sent as
 * the contact itself ({@code actor: contact:<id>}); unsubscribing twice changes nothing.
 */
@Component
class UnsubscribeHandler {

    private final SignedUnsubscribeLinks links;

    UnsubscribeHandler(SignedUnsubscribeLinks links) {
        this.links = links;
    }

    @CommandHandler
    CompletableFuture<UnsubscribeLinkView> handle(UnsubscribeCommand command, CommandGateway commandGateway) {
        SignedUnsubscribeLinks.Link link = links.verify(command.token()).orElseThrow(UnsubscribeHandler::invalid);
        String reason = link.campaignId() == null ? "unsubscribe link"
                : link.campaignId().startsWith(io.herald.saga.delivery.UnsubscribeLinks.FLOW_PREFIX) ? "unsubscribe link, flow "
                        + link.campaignId().substring(io.herald.saga.delivery.UnsubscribeLinks.FLOW_PREFIX.length())
                : "unsubscribe link, campaign " + link.campaignId();
        ChangeContactConsentCommand change = new ChangeContactConsentCommand(
                link.contactId(), link.channel(), ConsentStatus.UNSUBSCRIBED, reason, command.source());
        return commandGateway.send(change, MetaData.with(MetadataKeys.ACTOR, "contact:" + link.contactId()))
                .thenApply(version -> new UnsubscribeLinkView(link.channel(), link.campaignId()));
    }

    @QueryHandler
    UnsubscribeLinkView handle(FindUnsubscribeLinkQuery query) {
        return links.verify(query.token())
                .map(link -> new UnsubscribeLinkView(link.channel(), link.campaignId()))
                .orElse(null);
    }

    private static DomainException invalid() {
        return new DomainException(DomainException.Kind.NOT_FOUND, UnsubscribeCommand.LINK_INVALID,
                                   "This unsubscribe link is not valid");
    }
}
