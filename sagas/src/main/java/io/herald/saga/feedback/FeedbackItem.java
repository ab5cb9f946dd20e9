package io.herald.saga.feedback;

import java.time.Instant;

/**
 * One bounce or complaint read from a provider's notification, for one recipient.
 *
 * @param deliveryId the delivery it names (from {@code X-Herald-Delivery} or Herald's Message-ID), or null
 * @param feedbackId the provider's id of the notification with the recipient (unique per provider)
 * @param complaint  a complaint (else a bounce)
 * @param hard       a permanent bounce
 * @param type       the provider's classification
 * @param detail     the diagnostic, may be null
 */
record FeedbackItem(String provider, String deliveryId, String feedbackId, String recipient, boolean complaint,
                    boolean hard, String type, String detail, Instant at) {

    /** Longest diagnostic kept. */
    static final int MAX_DETAIL = 500;

    FeedbackItem {
        if (detail != null && detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL);
        }
    }
}
