package io.herald.gateway.config;

import io.herald.api.common.MetadataKeys;
import io.herald.gateway.web.RequestContext;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Stamps every command sent through the gateway with who sent it and the correlation id of the
 * request; Axon's correlation data providers copy both onto the events the command causes.
 */
@Component
public class CommandMetadataInterceptor implements MessageDispatchInterceptor<CommandMessage<?>> {

    private final RequestContext requestContext;

    public CommandMetadataInterceptor(RequestContext requestContext) {
        this.requestContext = requestContext;
    }

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, command) -> {
            Map<String, Object> metadata = new HashMap<>();
            if (!command.getMetaData().containsKey(MetadataKeys.ACTOR)) {
                metadata.put(MetadataKeys.ACTOR, requestContext.actor());
            }
            if (!command.getMetaData().containsKey(MetadataKeys.CORRELATION_ID)) {
                metadata.put(MetadataKeys.CORRELATION_ID, requestContext.correlationId());
            }
            return metadata.isEmpty() ? command : command.andMetaData(metadata);
        };
    }
}
