package io.herald.saga.channel;

/**
 * What happened to one send.
 *
 * @param outcome           see {@link Outcome}
 * @param providerMessageId the provider's id for the message, when it gave one
 * @param error             why it failed, for the failure log (no secrets)
 */
public record SendResult(Outcome outcome, String providerMessageId, String error) {

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
