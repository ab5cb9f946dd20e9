package io.herald.api.feedback;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A flow's e-mail was refused by the SMTP server with a 5xx reply for its recipient: records an
 * {@link EmailBouncedEvent} ({@code provider: smtp}, hard) for the delivery, once (a repeat records nothing).
 * Dispatched by the flow workers; a campaign's sender records its bounces with the batch instead. Answered with an
 * {@link EmailFeedbackReceived}.
 *
 * @param deliveryId {@code <runId>:<nodeId>}
 * @param smtpCode   the server's reply code (5xx)
 * @param detail     the server's reply, shortened
 */
public record RecordSmtpBounceCommand(@NotBlank @Size(max = 200) String deliveryId, String recipient, int smtpCode,
                                      String detail) {
}
