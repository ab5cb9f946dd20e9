package io.herald.api.flow;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records on the flow (its audit) that the runtime moved runs from one version to a later one. */
public record RecordFlowRunsMovedCommand(@TargetAggregateIdentifier @NotBlank String flowId, int fromVersion,
                                         int toVersion, long moved, long stayed) implements FlowCommands {
}
