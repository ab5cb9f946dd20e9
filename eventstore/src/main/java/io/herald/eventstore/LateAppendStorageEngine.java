package io.herald.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Appends a unit of work's events as the last write of its transaction.
 * <p>
 * An event's position in the global index is taken from a sequence when its row is inserted and
 * becomes visible when the transaction commits. Until then, every processor that has read past it
 * carries the position as a gap in its tracking token, and Axon copies a token's gap set for every
 * event it reads ({@code GapAwareTrackingToken.advanceTo}). Axon inserts the events first, then runs
 * the subscribing processors in the same transaction ({@code tracked-events} writes a row per event,
 * {@code segment-usage}), so the positions stayed reserved through all of that work. Deferred to the
 * end of the prepare-commit phase, the insert is followed only by the commit: the same writes in the
 * same transaction, positions held for a shorter time, fewer and shorter-lived gaps.
 * <p>
 * So the subscribing processors' handlers run before their events are stored: they must write in
 * that same transaction only, which start-up checks ({@link ProcessingGroups}).
 * <p>
 * The deferral needs a unit of work in its prepare-commit phase (where Axon's event bus appends);
 * an append outside one is written at once. A failed insert (a concurrent write of the same
 * aggregate) still fails the unit of work before anything commits.
 * <p>
 * <b>No snapshot reads.</b> Herald takes no snapshots (no aggregate has a snapshot trigger), yet Axon asks
 * the engine for one before loading every aggregate: a query per command that never finds a row. The
 * engine answers "none" without asking. Loading from the events alone is always correct (a snapshot only
 * shortens it), so a snapshot stored by some later version would be ignored here, never misread.
 */
public final class LateAppendStorageEngine implements EventStorageEngine {

    private static final String PENDING = LateAppendStorageEngine.class.getName() + ".pending";

    private final EventStorageEngine delegate;

    public LateAppendStorageEngine(EventStorageEngine delegate) {
        this.delegate = delegate;
    }

    /** The engine that stores the events. */
    public EventStorageEngine delegate() {
        return delegate;
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        if (events.isEmpty()) {
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().root() : null;
        if (root == null || root.phase() != UnitOfWork.Phase.PREPARE_COMMIT) {
            delegate.appendEvents(events);
            return;
        }
        List<EventMessage<?>> pending = root.getOrComputeResource(PENDING, key -> {
            List<EventMessage<?>> list = new ArrayList<>();
            // runs after the prepare-commit handlers queued so far, the subscribing processors' included
            root.onPrepareCommit(u -> {
                u.resources().remove(PENDING);
                delegate.appendEvents(list);
            });
            return list;
        });
        pending.addAll(events);
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        delegate.storeSnapshot(snapshot);
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        return delegate.readEvents(trackingToken, mayBlock);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return delegate.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return Optional.empty();
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return delegate.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return delegate.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return delegate.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return delegate.createTokenAt(dateTime);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + delegate.getClass().getName() + ")";
    }
}
