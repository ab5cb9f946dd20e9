package io.herald.api.feedback;

/**
 * What a provider's notification came to.
 *
 * @param outcome {@code recorded} (a bounce or complaint recorded), {@code duplicate} (recorded before),
 *                {@code unknown-delivery} (not an e-mail Herald sent: ignored), {@code ignored} (an event of
 *                another kind, e.g. a delivery or open notice), {@code subscription-confirmed} (SNS),
 *                {@code unsubscribed} (SNS told that the subscription ended)
 */
public record EmailFeedbackReceived(String outcome) {

    public static final String RECORDED = "recorded";
    public static final String DUPLICATE = "duplicate";
    public static final String UNKNOWN_DELIVERY = "unknown-delivery";
    public static final String IGNORED = "ignored";
    public static final String SUBSCRIPTION_CONFIRMED = "subscription-confirmed";
    public static final String UNSUBSCRIBED = "unsubscribed";
}
