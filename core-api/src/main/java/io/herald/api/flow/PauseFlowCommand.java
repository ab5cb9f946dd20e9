package io.herald.api.flow;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Pauses an ACTIVE flow. */
public record PauseFlowCommand(@TargetAggregateIdentifier @NotBlank String flowId) implements FlowCommands {
}
