package io.herald.api.campaign;

/** The channel a campaign sends on. */
public enum Channel {
    EMAIL,
    SMS,
    WEBHOOK
}
