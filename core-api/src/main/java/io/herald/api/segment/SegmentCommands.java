package io.herald.api.segment;

/** Marker for the segment context's commands; each targets one segment aggregate. */
public sealed interface SegmentCommands permits CreateSegmentCommand, UpdateSegmentCommand, DeleteSegmentCommand {

    String segmentId();
}
