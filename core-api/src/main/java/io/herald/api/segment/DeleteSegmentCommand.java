package io.herald.api.segment;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Deletes a segment; refused while a scheduled, running or paused campaign or another segment uses it. */
public record DeleteSegmentCommand(@TargetAggregateIdentifier @NotBlank String segmentId) implements SegmentCommands {
}
