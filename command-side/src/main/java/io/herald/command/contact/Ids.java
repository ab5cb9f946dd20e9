package io.herald.command.contact;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Time-ordered ids (UUID version 7) for contacts and tracked events. New ids land at the right
 * edge of every B-tree that indexes them (event store, lookups, read models), which keeps bulk
 * inserts several times cheaper than random UUIDs, and orders contacts by creation.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** A partition for a new batch of ids. */
    public static int newPartition() {
        return RANDOM.nextInt(1 << 12);
    }

    public static String newId() {
        return newUuid().toString();
    }

    public static UUID newUuid() {
        return newUuid(newPartition());
    }

    /**
     * A time-ordered id whose 12 {@code rand_a} bits are {@code partition} (see
     * {@link io.herald.api.contact.ContactsImportedEvent#partitionOf}): the ids of one import batch
     * share it, so their events keep one order in the read models' processor segments.
     */
    public static UUID newUuid(int partition) {
        long millis = System.currentTimeMillis();
        long randA = partition & 0xFFFL;
        long msb = (millis << 16) | 0x7000L | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** Whether {@code text} is a UUID in its canonical 36-character form. */
    public static boolean isUuid(String text) {
        if (text == null || text.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
