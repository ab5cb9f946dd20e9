package io.herald.api.segment;

import io.herald.api.contact.ContactView;

import java.util.List;

/** How many contacts match now, some of them, and how long the database took. */
public record SegmentPreviewView(long count, List<ContactView> sample, long tookMillis) {
}
