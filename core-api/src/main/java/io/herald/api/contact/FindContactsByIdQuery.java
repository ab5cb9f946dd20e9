package io.herald.api.contact;

import java.util.List;

/**
 * Several contacts at once; answered with a {@link ContactBatchView} holding those that exist. At most
 * {@link #MAX_IDS} ids are looked up (the rest are not): callers with more ask in parts.
 */
public record FindContactsByIdQuery(List<String> contactIds) {

    public static final int MAX_IDS = 1_000;
}
