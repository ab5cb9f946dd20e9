package io.herald.api.contact;

import java.util.List;

/** A page of contacts; {@code totalItems} is -1 when it was not counted. */
public record ContactPage(List<ContactView> items, int page, int size, long totalItems, int totalPages) {
}
