package io.herald.saga.channel;

import io.herald.api.campaign.Channel;

import java.util.List;

/** Sends on one channel. Implementations are thread-safe; new providers implement this interface. */
public interface ChannelAdapter {

    Channel channel();

    SendResult send(OutboundMessage message);

    /** Sends a batch (e-mail reuses one SMTP connection for it); results in the order of the messages. */
    default List<SendResult> sendAll(List<OutboundMessage> messages) {
        return messages.stream().map(this::send).toList();
    }
}
