package io.herald.gateway.campaign;

import io.herald.api.campaign.CampaignView;
import io.herald.api.campaign.FindCampaignQuery;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Read-your-writes for campaigns. After a command the API waits until the campaign read model
 * shows at least the version the command produced: it subscribes to the projection's updates
 * (pushed by the query update emitter when this instance projected the event) and, because another
 * instance may own that projection segment, re-reads the row on a slow timer as a fallback.
 */
@Component
class CampaignReads {

    private static final Logger log = LoggerFactory.getLogger(CampaignReads.class);

    private static final Duration FIRST_REREAD = Duration.ofMillis(50);

    private final QueryGateway queryGateway;
    private final Duration timeout;
    private final Duration fallbackInterval;

    CampaignReads(QueryGateway queryGateway,
                  @Value("${herald.read-your-writes.timeout:5s}") Duration timeout,
                  @Value("${herald.read-your-writes.fallback-interval:250ms}") Duration fallbackInterval) {
        this.queryGateway = queryGateway;
        this.timeout = timeout;
        this.fallbackInterval = fallbackInterval;
    }

    Optional<CampaignView> find(String campaignId) {
        return Optional.ofNullable(queryGateway.query(new FindCampaignQuery(campaignId),
                                                      ResponseTypes.instanceOf(CampaignView.class)).join());
    }

    /**
     * Sends a command and answers the campaign as the read model shows it afterwards: at the version
     * the command produced, or later. The subscription to the projection's updates is opened before
     * the command is sent, so no update can slip by unseen; a re-read shortly after (and then every
     * {@code fallbackInterval}) covers commands that changed nothing and projections run by another
     * instance. Empty when the read model did not catch up within the timeout.
     */
    Optional<CampaignView> sendAndAwait(String campaignId, LongSupplier command) {
        FindCampaignQuery query = new FindCampaignQuery(campaignId);
        try (SubscriptionQueryResult<CampaignView, CampaignView> result = queryGateway.subscriptionQuery(
                query, ResponseTypes.instanceOf(CampaignView.class), ResponseTypes.instanceOf(CampaignView.class))) {
            long version = command.getAsLong();
            Flux<CampaignView> reread = Flux.interval(FIRST_REREAD, fallbackInterval)
                    .concatMap(tick -> Mono.fromFuture(() -> queryGateway.query(
                            query, ResponseTypes.instanceOf(CampaignView.class))));
            CampaignView view = Flux.merge(result.updates(), reread)
                    .filter(v -> v.version() >= version)
                    .next()
                    .timeout(timeout, Mono.empty())
                    .block();
            if (view == null) {
                log.warn("Campaign {} read model did not reach version {} within {}", campaignId, version, timeout);
            }
            return Optional.ofNullable(view);
        }
    }
}
