package io.herald.api.contact;

import java.util.List;

/** Contacts found by {@link FindContactsByIdQuery}, in no particular order. */
public record ContactBatchView(List<ContactView> contacts) {
}
