package io.herald.api.flow;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Resumes a PAUSED flow. */
public record ResumeFlowCommand(@TargetAggregateIdentifier @NotBlank String flowId) implements FlowCommands {
}
