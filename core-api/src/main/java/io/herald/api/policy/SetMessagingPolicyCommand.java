package io.herald.api.policy;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces the messaging policy (its id is {@link MessagingPolicy#ID}). */
public record SetMessagingPolicyCommand(@TargetAggregateIdentifier @NotBlank String policyId, MessagingPolicy policy) {
}
