package io.herald.gateway.tracking;

import io.herald.api.common.DomainException;
import io.herald.api.common.MetadataKeys;
import io.herald.api.tracking.TrackEventsCommand;
import io.herald.api.tracking.TrackResult;
import io.herald.api.tracking.TrackedEventInput;
import io.herald.gateway.config.GatewayProperties;
import io.herald.gateway.contact.Queries;
import io.herald.gateway.web.GroupCommit;
import io.herald.gateway.web.RequestContext;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Group commit for single tracked events: concurrent {@code POST /api/track} requests of one caller
 * are stored together, one transaction (one fsync) for the events that arrived while the previous
 * group was being written, instead of one each. Nothing waits for a group to fill: a request that
 * finds the writers idle is written at once. Each request still gets its own outcome and its own
 * correlation id on its event; a group refused as a whole (one invalid event) is retried event by
 * event, so an invalid event is answered with its own error and never costs the others theirs.
 */
@Component
class TrackingBatcher implements DisposableBean {

    /** One request's event, and the caller it is stored for (a caller's events stay in its own commands). */
    private record Pending(TrackedEventInput input, String actor) {
    }

    private final CommandGateway commandGateway;
    private final RequestContext requestContext;
    private final GroupCommit<Pending, TrackResult.Outcome> groups;

    TrackingBatcher(CommandGateway commandGateway, RequestContext requestContext,
                    GatewayProperties properties) {
        this.commandGateway = commandGateway;
        this.requestContext = requestContext;
        this.groups = new GroupCommit<>("track", properties.tracking().groupCommit().writers(),
                                        properties.tracking().groupCommit().maxEvents(), Pending::actor, this::send,
                                        DomainException.class::isInstance);
    }

    /** Stores one event (with the events of concurrent requests) and answers its outcome. */
    TrackResult.Outcome track(TrackedEventInput input) {
        TrackedEventInput withCorrelation = new TrackedEventInput(input.userId(), input.anonymousId(), input.event(),
                                                                  input.properties(), input.timestamp(),
                                                                  input.messageId(), requestContext.correlationId());
        return groups.submit(new Pending(withCorrelation, requestContext.actor()));
    }

    private List<TrackResult.Outcome> send(List<Pending> group) {
        List<TrackedEventInput> inputs = group.stream().map(Pending::input).toList();
        MetaData metaData = MetaData.with(MetadataKeys.ACTOR, group.get(0).actor())
                .and(MetadataKeys.CORRELATION_ID, group.get(0).input().correlationId());
        try {
            TrackResult result = Queries.sendRetrying(commandGateway, GenericCommandMessage.asCommandMessage(
                    new TrackEventsCommand(inputs, "api", null)).andMetaData(metaData));
            return result.outcomes();
        } catch (RuntimeException e) {
            throw Queries.unwrap(e);
        }
    }

    @Override
    public void destroy() {
        groups.close();
    }
}
