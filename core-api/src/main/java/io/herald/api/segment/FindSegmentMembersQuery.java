package io.herald.api.segment;

/**
 * The contacts a stored segment matches now, ordered by contact id; answered with a
 * {@link io.herald.api.contact.ContactPage}, or null when the segment is unknown.
 */
public record FindSegmentMembersQuery(String segmentId, int page, int size) {
}
