package io.herald.api.webhook;

/**
 * Generates the signing secret of a subscription about to be created and keeps it (encrypted); answers the secret,
 * {@code whsec_<base64 of 32 random bytes>}, which is shown once.
 */
public record IssueWebhookSecretCommand(String subscriptionId) {
}
