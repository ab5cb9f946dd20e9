package io.herald.api.segment;

import io.herald.api.campaign.Channel;
import io.herald.api.contact.ConsentStatus;

import java.time.Instant;
import java.util.List;

/**
 * One node of a segment's rule tree. Which fields a node uses depends on its {@code type}:
 * <ul>
 *   <li>{@code and}, {@code or}: {@code children} (1–100); {@code not}: exactly one child;</li>
 *   <li>{@code attribute}: {@code attribute} (a key of the contact's attributes), {@code operator} (eq,
 *       neq, contains, starts_with, gt, gte, lt, lte, in, exists, before, after, within_last) and {@code value};</li>
 *   <li>{@code field}: the same over a profile field ({@code attribute} = email, externalId, phone, locale,
 *       timeZone, createdAt);</li>
 *   <li>{@code behaviour}: {@code event}, {@code operator} (at_least, at_most, exactly, not_performed),
 *       {@code count}, a window ({@code withinLastDays}, or {@code from}/{@code to}, or none for all time)
 *       and property filters in {@code where};</li>
 *   <li>{@code consent}: {@code channel} and {@code status} (no recorded consent counts as SUBSCRIBED);</li>
 *   <li>{@code segment}: membership of the segment {@code segmentId} (no cycles).</li>
 * </ul>
 * {@link SegmentRules#validate} checks a tree and names the path of a bad node.
 */
public record SegmentRule(String type,
                          List<SegmentRule> children,
                          String attribute,
                          String operator,
                          Object value,
                          String event,
                          Integer count,
                          Integer withinLastDays,
                          Instant from,
                          Instant to,
                          List<PropertyFilter> where,
                          Channel channel,
                          ConsentStatus status,
                          String segmentId) {

    /** A condition on a tracked event's properties; operators as for attributes. */
    public record PropertyFilter(String property, String operator, Object value) {
    }

    public static SegmentRule and(SegmentRule... children) {
        return group("and", children);
    }

    public static SegmentRule or(SegmentRule... children) {
        return group("or", children);
    }

    public static SegmentRule not(SegmentRule child) {
        return group("not", child);
    }

    private static SegmentRule group(String type, SegmentRule... children) {
        return new SegmentRule(type, List.of(children), null, null, null, null, null, null, null, null, null, null,
                               null, null);
    }

    public static SegmentRule attribute(String key, String operator, Object value) {
        return new SegmentRule("attribute", null, key, operator, value, null, null, null, null, null, null, null,
                               null, null);
    }

    public static SegmentRule field(String field, String operator, Object value) {
        return new SegmentRule("field", null, field, operator, value, null, null, null, null, null, null, null,
                               null, null);
    }

    public static SegmentRule behaviour(String event, String operator, Integer count, Integer withinLastDays,
                                        List<PropertyFilter> where) {
        return new SegmentRule("behaviour", null, null, operator, null, event, count, withinLastDays, null, null,
                               where, null, null, null);
    }

    public static SegmentRule consent(Channel channel, ConsentStatus status) {
        return new SegmentRule("consent", null, null, null, null, null, null, null, null, null, null, channel,
                               status, null);
    }

    public static SegmentRule memberOf(String segmentId) {
        return new SegmentRule("segment", null, null, null, null, null, null, null, null, null, null, null, null,
                               segmentId);
    }
}
