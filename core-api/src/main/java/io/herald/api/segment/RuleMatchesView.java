package io.herald.api.segment;

import java.util.List;

/** Of the contacts asked about: those that exist ({@code found}) and, of them, those that match the rule. */
public record RuleMatchesView(List<String> found, List<String> matching) {
}
