package io.herald.api.contact;

import java.time.Instant;

/**
 * The consent a contact has on one channel, with when and why it last changed.
 *
 * @param status    the current status
 * @param changedAt when it was set
 * @param reason    why (free text, e.g. "clicked unsubscribe", "hard bounce 550"), optional
 * @param source    who or what set it: {@code api}, {@code import}, {@code identify}, a delivery adapter…
 */
public record Consent(ConsentStatus status, Instant changedAt, String reason, String source) {
}
