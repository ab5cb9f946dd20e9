package io.herald.api.segment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates a segment; a retry with the same id and definition is answered without a second one. */
public record CreateSegmentCommand(@TargetAggregateIdentifier @NotBlank String segmentId,
                                   @NotNull @Valid SegmentDefinition definition) implements SegmentCommands {
}
