package io.herald.api.webhook;

import java.time.Instant;

/** A new signing secret (shown once) and until when the previous one is still used to sign (null: there is none). */
public record WebhookSecretView(String secret, Instant previousSecretExpiresAt) {
}
