package io.herald.api.policy;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The messaging policy was replaced by {@code policy}. */
@Revision("1")
public record MessagingPolicySetEvent(String policyId, MessagingPolicy policy, Instant at) {
}
