package io.herald.eventstore;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a streaming processor from handling an event its segment already handled. Axon 4.13's pooled processor can
 * hand a segment such an event again (see {@code PooledGapRedeliveryTest}): when the segment's token has a gap
 * ({@code index 319, gaps [318]}) and the coordinator's stream starts lower (another segment is behind), the event that
 * fills the gap arrives with a lower token ({@code 318, []}), the segment takes that token as the last one delivered,
 * and the events after the gap that it had handled already (319) are delivered once more.
 * <p>
 * What a segment has seen is the upper bound of every token it committed: the stored token, read once per batch in
 * the batch's transaction (this instance holds the claim), and the tokens of the events this instance handled, noted
 * after their batch committed. Both are needed: after handling the gap (318) the package stores the gap's lower
 * token, so the stored token alone would let 319 through at the next batch. A handler sees only events at a
 * position not seen yet: beyond the index, or in one of the gaps. While the stored token is a wrapped one (a replay
 * after {@code resetTokens}, a merge of segments) what was seen starts again from its current (lower) position, so
 * a replay replays. Events of subscribing processors (no segment) pass untouched.
 */
public final class RedeliveryGuard implements MessageHandlerInterceptor<EventMessage<?>> {

    private static final Logger log = LoggerFactory.getLogger(RedeliveryGuard.class);
    private static final String STORED = RedeliveryGuard.class.getName() + ".stored";

    private final String processorName;
    private final TokenStore tokenStore;
    /** Per segment, what this instance knows the segment has seen (committed positions only). */
    private final java.util.Map<Integer, TrackingToken> seen = new java.util.concurrent.ConcurrentHashMap<>();

    public RedeliveryGuard(String processorName, TokenStore tokenStore) {
        this.processorName = processorName;
        this.tokenStore = tokenStore;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        if (!(unitOfWork.getMessage() instanceof TrackedEventMessage<?> event)) {
            return chain.proceed();
        }
        Object segment = unitOfWork.resources().get("Processor[" + processorName + "]/SegmentId");
        if (!(segment instanceof Integer segmentId)) {
            return chain.proceed();
        }
        // one read per batch: the resources belong to the batch's unit of work
        StoredToken stored = (StoredToken) unitOfWork.resources().computeIfAbsent(
                STORED, key -> new StoredToken(knownSeen(segmentId, tokenStore.fetchToken(processorName, segmentId))));
        if (seen(stored.token(), event.trackingToken())) {
            log.debug("{} segment {}: event {} at {} was handled before (seen up to {}); not again", processorName,
                      segmentId, event.getIdentifier(), event.trackingToken(), stored.token());
            return null;
        }
        TrackingToken handled = event.trackingToken();
        unitOfWork.afterCommit(u -> seen.computeIfPresent(segmentId, (id, known) -> upper(known, handled)));
        return chain.proceed();
    }

    /** What the segment has seen, given the token it has stored now; remembered for the batches to come. */
    private TrackingToken knownSeen(int segmentId, TrackingToken stored) {
        if (stored instanceof WrappedToken) {
            // a replay or a merge: seen starts again from its current position
            TrackingToken current = WrappedToken.unwrapLowerBound(stored);
            if (current == null) {
                seen.remove(segmentId);
            } else {
                seen.put(segmentId, current);
            }
            return stored;
        }
        if (stored == null) {
            return seen.get(segmentId);
        }
        return seen.merge(segmentId, stored, RedeliveryGuard::upper);
    }

    private static TrackingToken upper(TrackingToken known, TrackingToken more) {
        TrackingToken plain = WrappedToken.unwrapLowerBound(more);
        if (plain == null || known == null) {
            return plain == null ? known : plain;
        }
        return known.getClass() == plain.getClass() ? known.upperBound(plain) : known;
    }

    /** Whether the position of {@code event} is one the {@code stored} token has seen. */
    static boolean seen(TrackingToken stored, TrackingToken event) {
        TrackingToken position = WrappedToken.unwrapLowerBound(stored);
        TrackingToken at = WrappedToken.unwrapLowerBound(event);
        if (position == null || at == null) {
            return false;
        }
        if (position instanceof GapAwareTrackingToken token && at instanceof GapAwareTrackingToken eventToken) {
            long index = eventToken.getIndex();
            return index <= token.getIndex() && !token.getGaps().contains(index);
        }
        return position.covers(at);
    }

    private record StoredToken(TrackingToken token) {
    }
}
