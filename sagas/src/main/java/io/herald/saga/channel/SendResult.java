package io.herald.saga.channel;

/**
 * What happened to one send.
 *
 * @param outcome           see {@link Outcome}
 * @param providerMessageId the provider's id for the message, when it gave one
 * @param error             why it failed, for the failure log (no secrets)
 * @param smtpCode          for e-mail refused by the SMTP server, its reply code (a 5xx for a recipient is a hard
 *                          bounce); 0 otherwise
 */
public record SendResult(Outcome outcome, String providerMessageId, String error, int smtpCode) {

    public SendResult(Outcome outcome, String providerMessageId, String error) {
        this(outcome, providerMessageId, error, 0);
    }

    /** Refused for good by the SMTP server with a 5xx reply: counts as a hard bounce. */
    public boolean hardBounce() {
        return outcome == Outcome.PERMANENT_FAILURE && smtpCode >= 500 && smtpCode < 600;
    }

    /** The SMTP server refused the recipient with {@code code} (a 5xx: permanent, and a hard bounce). */
    public static SendResult refused(int code, String error) {
        return new SendResult(code >= 500 && code < 600 ? Outcome.PERMANENT_FAILURE : Outcome.TRANSIENT_FAILURE,
                              null, error, code);
    }

    public enum Outcome {
        /** Accepted by the provider or the webhook. */
        SENT,
        /** Failed in a way a retry can fix (timeouts before sending, 5xx, 429, connection refused). */
        TRANSIENT_FAILURE,
        /** Failed for good (4xx, invalid address): do not retry. */
        PERMANENT_FAILURE,
        /**
         * It may or may not have been delivered (the connection broke after the request was sent).
         * Never blindly repeated on e-mail or SMS.
         */
        UNKNOWN
    }

    public static SendResult sent(String providerMessageId) {
        return new SendResult(Outcome.SENT, providerMessageId, null);
    }

    public static SendResult transientFailure(String error) {
        return new SendResult(Outcome.TRANSIENT_FAILURE, null, error);
    }

    public static SendResult permanentFailure(String error) {
        return new SendResult(Outcome.PERMANENT_FAILURE, null, error);
    }

    public static SendResult unknown(String error) {
        return new SendResult(Outcome.UNKNOWN, null, error);
    }
}
