package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;

/** Makes the per-recipient unsubscribe link (a signed token) put into messages and List-Unsubscribe. */
public interface UnsubscribeLinks {

    /** A flow send node's links name {@code flow:<flowId>} where a campaign's name the campaign. */
    String FLOW_PREFIX = "flow:";

    /** The absolute URL that unsubscribes {@code contactId} from {@code channel}; GET shows a page, POST unsubscribes (RFC 8058). */
    String urlFor(String contactId, Channel channel, String campaignId);
}
