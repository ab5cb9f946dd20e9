package io.herald.api.policy;

import java.time.Instant;

/**
 * The messaging policy as stored: {@code version} is its aggregate's (the ETag; -1 before it was ever set, when the
 * policy is {@link MessagingPolicy#NONE}).
 */
public record MessagingPolicyView(MessagingPolicy policy, long version, Instant updatedAt) {
}
