package io.herald.api.flow;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stops an ACTIVE or PAUSED flow (final). */
public record StopFlowCommand(@TargetAggregateIdentifier @NotBlank String flowId) implements FlowCommands {
}
