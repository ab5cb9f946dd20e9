package io.herald.api.flow;

import io.herald.api.segment.SegmentRule;

import java.util.List;

/**
 * Who may start a run, and when a run ends early.
 *
 * @param concurrency      one active run per contact ({@code PER_CONTACT}, the default) or one per
 *                         de-duplication key of the (event) trigger ({@code PER_DEDUP_KEY})
 * @param reEntry          whether a contact whose run ended may start another: {@code NEVER} (the
 *                         default) or {@code AFTER_DAYS} ({@code reEntryAfterDays} after the last entry)
 * @param reEntryAfterDays days, with {@code AFTER_DAYS}: 1–3650
 * @param exitOn           events that make a contact leave a run (exit conditions)
 */
public record FlowEntryPolicy(Concurrency concurrency, ReEntry reEntry, Integer reEntryAfterDays,
                              List<ExitCondition> exitOn) {

    public static final FlowEntryPolicy DEFAULT = new FlowEntryPolicy(Concurrency.PER_CONTACT, ReEntry.NEVER, null,
                                                                       List.of());

    public enum Concurrency {
        PER_CONTACT,
        PER_DEDUP_KEY
    }

    public enum ReEntry {
        NEVER,
        AFTER_DAYS
    }

    /** The contact's event {@code event} with properties matching {@code where} ends its run. */
    public record ExitCondition(String event, List<SegmentRule.PropertyFilter> where) {
    }
}
