package io.herald.api.delivery;

/**
 * Where one recipient of a campaign stands. PENDING and SENDING are on the way; the others are final.
 * UNKNOWN: the send was under way when its worker died, so it may or may not have gone out; e-mail and
 * SMS never repeat such a send.
 */
public enum DeliveryStatus {
    PENDING,
    SENDING,
    SENT,
    FAILED,
    SKIPPED,
    UNKNOWN;

    public boolean isFinal() {
        return this != PENDING && this != SENDING;
    }
}
