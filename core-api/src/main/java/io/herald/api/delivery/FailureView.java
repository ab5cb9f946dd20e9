package io.herald.api.delivery;

import io.herald.api.campaign.Channel;

import java.time.Instant;

/**
 * One entry of the failure log: a send that failed (and whether it is retried), a send whose outcome
 * became unknown when its worker died, or a failed batch.
 *
 * @param reason    stable code: {@code http-503}, {@code timeout}, {@code rejected}, {@code worker-lost}, ...
 * @param error     what the channel or the worker reported
 * @param attempt   the attempt that failed (1 = first send)
 * @param outcome   RETRY_SCHEDULED, FAILED or UNKNOWN
 * @param retryAt   when the retry is due, for RETRY_SCHEDULED
 * @param contactId null for an entry about a whole batch
 * @param campaignId the campaign that sent it; null for a flow's send
 * @param flowId     the flow whose send node sent it ({@code flowNodeId}, in run {@code flowRunId}); null for a
 *                   campaign's send
 * @param source     what failed: {@code campaign}, {@code flow} or {@code webhook} (an outgoing webhook subscription's
 *                   message: {@code webhookSubscriptionId}, {@code webhookMessageId})
 */
public record FailureView(long id, Instant occurredAt, String campaignId, String contactId, Channel channel,
                          String reason, String error, int attempt, String outcome, Instant retryAt,
                          String workerId, String flowId, String flowNodeId, String flowRunId, String source,
                          String webhookSubscriptionId, String webhookMessageId) {
}
