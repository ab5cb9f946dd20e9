package io.herald.api.delivery;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A recipient used the signed unsubscribe link of a message (the confirmation page's button, or a
 * mail client's RFC 8058 one-click POST): sets the contact's consent on the link's channel to
 * {@code UNSUBSCRIBED}. Repeating it changes nothing and succeeds again. Answered with an
 * {@link UnsubscribeLinkView} (the handler answers asynchronously, with a
 * {@code CompletionStage} of it); a token that is not a valid link is refused with a
 * {@code DomainException} of kind {@code NOT_FOUND}, code {@link #LINK_INVALID}.
 *
 * @param token  the token of the link ({@code /unsubscribe/{token}})
 * @param source how it was used: {@link #SOURCE_LINK} or {@link #SOURCE_ONE_CLICK}
 */
public record UnsubscribeCommand(@NotBlank @Size(max = 1000) String token,
                                 @NotBlank @Size(max = 100) String source) {

    /** Error code of a token that is malformed, tampered with, or not signed by this installation. */
    public static final String LINK_INVALID = "unsubscribe.link-invalid";
    /** The confirmation page's button. */
    public static final String SOURCE_LINK = "unsubscribe-link";
    /** A mail client's one-click POST ({@code List-Unsubscribe=One-Click}, RFC 8058). */
    public static final String SOURCE_ONE_CLICK = "one-click";
}
