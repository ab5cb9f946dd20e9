package io.herald.api.segment;

/** Whether the contact matched ({@code found}: false when there is no such contact). */
public record RuleMatchView(boolean found, boolean matches) {
}
