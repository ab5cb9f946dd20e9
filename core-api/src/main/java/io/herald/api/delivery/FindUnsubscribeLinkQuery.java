package io.herald.api.delivery;

/**
 * What an unsubscribe link's token refers to, without using it (the confirmation page); answered
 * with an {@link UnsubscribeLinkView}, or null when the token is not a valid link.
 */
public record FindUnsubscribeLinkQuery(String token) {
}
