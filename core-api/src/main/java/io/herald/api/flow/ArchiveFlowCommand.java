package io.herald.api.flow;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Archives a DRAFT or PAUSED flow (final). */
public record ArchiveFlowCommand(@TargetAggregateIdentifier @NotBlank String flowId) implements FlowCommands {
}
