package io.herald.api.policy;

/** The messaging policy ({@code id}: {@link MessagingPolicy#ID}); answered with a {@link MessagingPolicyView}. */
public record FindMessagingPolicyQuery(String id) {
}
