package io.herald.api.flow;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces the draft (name and definition) of a flow that is not archived or stopped. */
public record UpdateFlowDraftCommand(@TargetAggregateIdentifier @NotBlank String flowId,
                 @NotBlank @Size(max = 200) String name,
                 @NotNull FlowDefinition definition) implements FlowCommands {
}
