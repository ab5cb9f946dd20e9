package io.herald.api.contact;

import java.util.List;

/** Several contacts at once; answered with a {@link ContactBatchView} holding those that exist. */
public record FindContactsByIdQuery(List<String> contactIds) {
}
