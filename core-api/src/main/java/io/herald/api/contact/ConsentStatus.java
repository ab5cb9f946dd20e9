package io.herald.api.contact;

/**
 * A contact's consent on one channel. Only {@link #SUBSCRIBED} (or no recorded consent, the
 * opt-out default) lets a campaign reach the contact on that channel; the other three never do.
 */
public enum ConsentStatus {
    SUBSCRIBED,
    UNSUBSCRIBED,
    BOUNCED,
    COMPLAINED;

    public boolean isReachable() {
        return this == SUBSCRIBED;
    }
}
