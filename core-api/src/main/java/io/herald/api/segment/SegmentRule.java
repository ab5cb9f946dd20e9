package io.herald.api.segment;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.herald.api.campaign.Channel;
import io.herald.api.contact.ConsentStatus;

import java.time.Instant;
import java.util.List;

/**
 * One node of a segment's rule tree: one record per kind of node, written in JSON as an object
 * whose {@code type} names the kind and whose other fields are the record's:
 * <ul>
 *   <li>{@code and}, {@code or}: {@code children} (1–100); {@code not}: exactly one child;</li>
 *   <li>{@code attribute}: {@code attribute} (a key of the contact's attributes), {@code operator} (eq,
 *       neq, contains, starts_with, gt, gte, lt, lte, in, exists, before, after, within_last) and {@code value};</li>
 *   <li>{@code field}: a condition on a profile field ({@code attribute} = email, externalId, phone, locale,
 *       timeZone, createdAt): text fields take eq, neq, contains, starts_with, in and exists, createdAt takes
 *       before, after, within_last and exists;</li>
 *   <li>{@code behaviour}: {@code event}, {@code operator} (at_least, at_most, exactly, not_performed),
 *       {@code count}, a window ({@code withinLastDays}, or {@code from}/{@code to}, or none for all time)
 *       and property conditions in {@code where};</li>
 *   <li>{@code consent}: {@code channel} and {@code status} (no recorded consent counts as SUBSCRIBED);</li>
 *   <li>{@code segment}: membership of the segment {@code segmentId} (no cycles);</li>
 *   <li>{@code engagement}: the contact {@code action} (opened, clicked) an e-mail: of the campaign
 *       {@code campaignId}, or any e-mail Herald sent (campaigns' and flows') when absent; in the last
 *       {@code withinLastDays} days, or ever when absent; {@code humanOnly} leaves out the opens and clicks
 *       taken for a machine's (absent: false, every one counts).</li>
 * </ul>
 * A record holds what was sent, not yet checked: {@link SegmentRules#validate} checks a tree and
 * names the path of a bad node. A field that belongs to another kind of node is not a field of
 * the record, so the JSON reader refuses it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SegmentRule.And.class, name = "and"),
        @JsonSubTypes.Type(value = SegmentRule.Or.class, name = "or"),
        @JsonSubTypes.Type(value = SegmentRule.Not.class, name = "not"),
        @JsonSubTypes.Type(value = SegmentRule.Attribute.class, name = "attribute"),
        @JsonSubTypes.Type(value = SegmentRule.Field.class, name = "field"),
        @JsonSubTypes.Type(value = SegmentRule.Behaviour.class, name = "behaviour"),
        @JsonSubTypes.Type(value = SegmentRule.Consent.class, name = "consent"),
        @JsonSubTypes.Type(value = SegmentRule.Membership.class, name = "segment"),
        @JsonSubTypes.Type(value = SegmentRule.EmailEngagement.class, name = "engagement")})
public sealed interface SegmentRule {

    /** The node's {@code type} in JSON. */
    default String type() {
        return switch (this) {
            case And ignored -> "and";
            case Or ignored -> "or";
            case Not ignored -> "not";
            case Attribute ignored -> "attribute";
            case Field ignored -> "field";
            case Behaviour ignored -> "behaviour";
            case Consent ignored -> "consent";
            case Membership ignored -> "segment";
            case EmailEngagement ignored -> "engagement";
        };
    }

    /** A node that combines other nodes. */
    sealed interface Group extends SegmentRule permits And, Or, Not {

        List<SegmentRule> children();
    }

    /** Every child holds. */
    record And(List<SegmentRule> children) implements Group {
    }

    /** At least one child holds. */
    record Or(List<SegmentRule> children) implements Group {
    }

    /** The one child does not hold; a list in JSON ({@code "children": [rule]}) like the other groups. */
    record Not(List<SegmentRule> children) implements Group {

        /** The negated node (of a validated tree). */
        public SegmentRule child() {
            return children.get(0);
        }
    }

    /** A condition on one of the contact's free attributes. */
    record Attribute(String attribute, String operator, Object value) implements SegmentRule {
    }

    /** A condition on a profile field; in JSON the field is named by {@code attribute}. */
    record Field(@JsonProperty("attribute") String field, String operator, Object value) implements SegmentRule {
    }

    /**
     * "Performed {@code event} (with properties matching {@code where}) {@code operator} {@code count}
     * times in the window"; the operator defaults to at_least and the count to 1.
     */
    record Behaviour(String event, String operator, Integer count, Integer withinLastDays, Instant from, Instant to,
                     List<PropertyFilter> where) implements SegmentRule {
    }

    /** The contact's consent status on a channel. */
    record Consent(Channel channel, ConsentStatus status) implements SegmentRule {
    }

    /** Membership of another segment (its rules, inlined). */
    record Membership(String segmentId) implements SegmentRule {
    }

    /**
     * "{@code action} an e-mail (of campaign {@code campaignId}, else any) in the last {@code withinLastDays} days
     * (else ever)", counting the opens and clicks taken for a machine's unless {@code humanOnly}. Negated with
     * {@code not} like every node ("did not open campaign X").
     */
    record EmailEngagement(EngagementAction action, String campaignId, Integer withinLastDays, Boolean humanOnly)
            implements SegmentRule {

        /** Whether machine-flagged opens and clicks are left out (absent: no). */
        public boolean onlyHuman() {
            return Boolean.TRUE.equals(humanOnly);
        }
    }

    /** A condition on a tracked event's properties; operators as for attributes. */
    record PropertyFilter(String property, String operator, Object value) {
    }

    static SegmentRule and(SegmentRule... children) {
        return new And(List.of(children));
    }

    static SegmentRule or(SegmentRule... children) {
        return new Or(List.of(children));
    }

    static SegmentRule not(SegmentRule child) {
        return new Not(List.of(child));
    }

    static SegmentRule attribute(String key, String operator, Object value) {
        return new Attribute(key, operator, value);
    }

    static SegmentRule field(String field, String operator, Object value) {
        return new Field(field, operator, value);
    }

    static SegmentRule behaviour(String event, String operator, Integer count, Integer withinLastDays,
                                 List<PropertyFilter> where) {
        return new Behaviour(event, operator, count, withinLastDays, null, null, where);
    }

    static SegmentRule consent(Channel channel, ConsentStatus status) {
        return new Consent(channel, status);
    }

    static SegmentRule memberOf(String segmentId) {
        return new Membership(segmentId);
    }

    static SegmentRule engagement(EngagementAction action, String campaignId, Integer withinLastDays,
                                  Boolean humanOnly) {
        return new EmailEngagement(action, campaignId, withinLastDays, humanOnly);
    }
}
