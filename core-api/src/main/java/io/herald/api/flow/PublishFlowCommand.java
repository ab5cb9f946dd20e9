package io.herald.api.flow;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Publishes the draft as the next numbered, immutable version. */
public record PublishFlowCommand(@TargetAggregateIdentifier @NotBlank String flowId) implements FlowCommands {
}
