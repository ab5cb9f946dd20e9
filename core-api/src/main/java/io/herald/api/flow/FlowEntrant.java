package io.herald.api.flow;

/**
 * One contact to enter into a flow, named by exactly one of its id, external id or e-mail; {@code dedupKey}
 * is the de-duplication key of a flow whose entry policy is {@code PER_DEDUP_KEY} (required there, ignored
 * otherwise).
 */
public record FlowEntrant(String contactId, String externalId, String email, String dedupKey) {
}
