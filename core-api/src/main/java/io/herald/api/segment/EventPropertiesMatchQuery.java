package io.herald.api.segment;

import java.util.List;
import java.util.Map;

/**
 * Whether a tracked event's properties match property filters (a flow's event trigger), with the same
 * operators and meaning as in segments; answered with a {@link RuleMatchView} ({@code found} always true).
 */
public record EventPropertiesMatchQuery(Map<String, Object> properties, List<SegmentRule.PropertyFilter> where) {
}
