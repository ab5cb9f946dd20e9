package io.herald.api.segment;

import java.util.List;

/**
 * Which of several contacts match a segment rule tree now (a flow's branch node, for a batch of runs at once);
 * answered with a {@link RuleMatchesView}. The same answer per contact as {@link ContactMatchesRuleQuery}.
 */
public record ContactsMatchRuleQuery(List<String> contactIds, SegmentRule rule) {
}
