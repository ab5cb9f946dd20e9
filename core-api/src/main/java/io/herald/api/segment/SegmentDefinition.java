package io.herald.api.segment;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The editable part of a segment: its name, an optional description and the rule tree. */
public record SegmentDefinition(@NotBlank @Size(max = 200) String name,
                                @Size(max = 2000) String description,
                                @NotNull SegmentRule rules) {
}
