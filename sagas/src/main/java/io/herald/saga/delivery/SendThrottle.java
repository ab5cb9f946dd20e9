package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;

/**
 * The send rate limit: per channel (configured) and per campaign (its {@code throttlePerSecond}),
 * shared by every instance (a token bucket in Redis when Redis is configured, in memory otherwise).
 */
public interface SendThrottle {

    /**
     * Waits until at least one send may go out on {@code channel} for {@code campaignId}, then takes
     * as many permits as are available, at most {@code wanted}.
     *
     * @param campaignRatePerSecond the campaign's own limit, or null for none
     * @return the permits taken (1..wanted)
     */
    int acquire(Channel channel, String campaignId, Integer campaignRatePerSecond, int wanted)
            throws InterruptedException;

    /** No limit at all (unit tests, benchmarks of the raw path). */
    SendThrottle UNLIMITED = (channel, campaignId, rate, wanted) -> wanted;
}
