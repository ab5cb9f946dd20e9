package io.herald.api.flow;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Activates a DRAFT flow that has a published version. */
public record ActivateFlowCommand(@TargetAggregateIdentifier @NotBlank String flowId) implements FlowCommands {
}
