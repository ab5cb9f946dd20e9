package io.herald.api.segment;

/**
 * Evaluates a rule tree now, without storing it; answered with a {@link SegmentPreviewView}.
 *
 * @param sampleSize how many matching contacts to show (0–100)
 */
public record PreviewSegmentQuery(SegmentRule rules, int sampleSize) {
}
