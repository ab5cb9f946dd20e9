package io.herald.eventstore;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a streaming processor's handlers from seeing an event again that their segment has handled.
 * <p>
 * Axon 4.13's pooled processor can hand a segment such an event (see {@code PooledGapRedeliveryTest}): when the
 * segment's token has a gap ({@code 319, [318]}) and the coordinator's stream starts lower (another segment is
 * behind), the event that fills the gap arrives with a lower token ({@code 318, []}), the segment's work package takes
 * that as the last token delivered, and the events after the gap that the segment had handled (319) are delivered once
 * more; after a stream is opened again lower, the same can happen to events handled since the claim.
 * <p>
 * An event's position comes with it ({@link PositionedEvent}); what the segment has handled is what its
 * committed token covers ({@link MonotonicTokenStore}: the token claimed, then each one stored, which never goes back)
 * and the events handled in the batch under way. An event at a position covered by either is not handled again. An
 * event without a position, or a segment whose committed token is not known here, passes untouched.
 */
public final class RedeliveryGuard implements MessageHandlerInterceptor<EventMessage<?>> {

    private static final Logger log = LoggerFactory.getLogger(RedeliveryGuard.class);
    private static final String IN_BATCH = RedeliveryGuard.class.getName() + ".inBatch";

    private final String processorName;
    private final String segmentResource;
    private final MonotonicTokenStore tokenStore;
    private final AtomicLong held = new AtomicLong();

    public RedeliveryGuard(String processorName, MonotonicTokenStore tokenStore) {
        this.processorName = processorName;
        this.segmentResource = "Processor[" + processorName + "]/SegmentId"; // put there by Axon's streaming processors
        this.tokenStore = tokenStore;
    }

    /** How many events this guard has kept from being handled again. */
    public long held() {
        return held.get();
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        long position = PositionedEvent.positionOf(unitOfWork.getMessage());
        if (position == PositionedEvent.UNKNOWN
            || !(unitOfWork.resources().get(segmentResource) instanceof Integer segment)) {
            return chain.proceed();
        }
        TrackingToken committed = tokenStore.committed(processorName, segment);
        Set<Long> inBatch = unitOfWork.getOrComputeResource(IN_BATCH, key -> new HashSet<>());
        if (covers(committed, position) || !inBatch.add(position)) {
            held.incrementAndGet();
            log.info("{} segment {}: event {} at position {} was handled before (committed token {}); not again",
                     processorName, segment, unitOfWork.getMessage().getIdentifier(), position, committed);
            return null;
        }
        return chain.proceed();
    }

    /** Whether a gap-aware token covers the event at {@code position}: not past its index, not one of its gaps. */
    static boolean covers(TrackingToken token, long position) {
        return token instanceof GapAwareTrackingToken gapAware
               && position <= gapAware.getIndex() && !gapAware.getGaps().contains(position);
    }
}
