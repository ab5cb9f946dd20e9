package io.herald.api.segment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces a segment's definition. */
public record UpdateSegmentCommand(@TargetAggregateIdentifier @NotBlank String segmentId,
                                   @NotNull @Valid SegmentDefinition definition) implements SegmentCommands {
}
