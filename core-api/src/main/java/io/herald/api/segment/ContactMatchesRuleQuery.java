package io.herald.api.segment;

/** Whether one contact matches a segment rule tree now; answered with a {@link RuleMatchView}. */
public record ContactMatchesRuleQuery(String contactId, SegmentRule rule) {
}
