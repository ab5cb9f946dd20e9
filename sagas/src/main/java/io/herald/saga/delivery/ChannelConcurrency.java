package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;

/** How many sends may be in flight at once on a channel, in this instance. */
public interface ChannelConcurrency {

    /** At least 1. */
    int concurrency(Channel channel);
}
