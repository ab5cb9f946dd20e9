package io.herald.api.flow;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates a flow with its first draft; a retry with the same id, name and draft is answered without a second one. */
public record CreateFlowCommand(@TargetAggregateIdentifier @NotBlank String flowId,
                 @NotBlank @Size(max = 200) String name,
                 @NotNull FlowDefinition definition) implements FlowCommands {
}
