package io.herald.eventstore;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToRetrieveIdentifierException;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token store whose segments' tokens never go back while this instance holds their claim, and which remembers,
 * per claimed segment, what the segment's committed token covers (for {@link RedeliveryGuard}).
 * <p>
 * Axon 4.13's pooled processor can store a lower token than the one it claimed: a segment that claimed
 * {@code (319, [318])} and is handed 318 by a coordinator whose stream starts lower stores {@code (318, [])}, as if 319
 * had never been handled, and whoever claims the segment next handles 319 again. Here each plain token stored is the
 * upper bound of the token given and the one the segment had committed (the one claimed, then each one stored since),
 * so the stored token covers every event the segment handled. What the segment has committed is known after the
 * transaction commits, and forgotten when the claim is released.
 * <p>
 * Wrapped tokens (a replay after {@code resetTokens}, a merge or split of segments) are stored as given: a replay
 * means to go back. While one is stored, what the segment has committed is the wrapped token's current (lower)
 * position.
 */
public final class MonotonicTokenStore implements TokenStore {

    private static final Logger log = LoggerFactory.getLogger(MonotonicTokenStore.class);

    private record Key(String processorName, int segment) {
    }

    private final TokenStore delegate;
    private final Map<Key, TrackingToken> committed = new ConcurrentHashMap<>();

    public MonotonicTokenStore(TokenStore delegate) {
        this.delegate = delegate;
    }

    /** The store that keeps the tokens. */
    public TokenStore delegate() {
        return delegate;
    }

    /**
     * What the segment's committed token covers, as far as this instance knows (it holds the claim); null when it does
     * not know.
     */
    public TrackingToken committed(String processorName, int segment) {
        return committed.get(new Key(processorName, segment));
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) throws UnableToClaimTokenException {
        Key key = new Key(processorName, segment);
        TrackingToken stored = notBelow(committed.get(key), token);
        if (stored != token) {
            log.info("{} segment {}: token {} would go back from {}; storing {}", processorName, segment, token,
                     committed.get(key), stored);
        }
        delegate.storeToken(stored, processorName, segment);
        TrackingToken covered = covered(stored);
        afterCommit(() -> remember(key, covered));
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) throws UnableToClaimTokenException {
        TrackingToken token = delegate.fetchToken(processorName, segment);
        remember(new Key(processorName, segment), covered(token));
        return token;
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) throws UnableToClaimTokenException {
        TrackingToken token = delegate.fetchToken(processorName, segment);
        remember(new Key(processorName, segment.getSegmentId()), covered(token));
        return token;
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        delegate.releaseClaim(processorName, segment);
        committed.remove(new Key(processorName, segment));
    }

    @Override
    public void deleteToken(String processorName, int segment) throws UnableToClaimTokenException {
        delegate.deleteToken(processorName, segment);
        committed.remove(new Key(processorName, segment));
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) {
        delegate.initializeTokenSegments(processorName, segmentCount);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken) {
        delegate.initializeTokenSegments(processorName, segmentCount, initialToken);
    }

    @Override
    public void extendClaim(String processorName, int segment) throws UnableToClaimTokenException {
        delegate.extendClaim(processorName, segment);
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment) {
        delegate.initializeSegment(token, processorName, segment);
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return delegate.requiresExplicitSegmentInitialization();
    }

    @Override
    public int[] fetchSegments(String processorName) {
        return delegate.fetchSegments(processorName);
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        return delegate.fetchAvailableSegments(processorName);
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() throws UnableToRetrieveIdentifierException {
        return delegate.retrieveStorageIdentifier();
    }

    /** The token to store: {@code token}, or the upper bound of it and what was committed when that is more. */
    static TrackingToken notBelow(TrackingToken committed, TrackingToken token) {
        if (committed == null || token == null || token instanceof WrappedToken || committed instanceof WrappedToken
            || committed.getClass() != token.getClass() || token.covers(committed)) {
            return token;
        }
        return token.upperBound(committed);
    }

    /** What a stored token covers for sure: itself, or a wrapped token's current (lower) position. */
    private static TrackingToken covered(TrackingToken token) {
        return token instanceof WrappedToken ? WrappedToken.unwrapLowerBound(token) : token;
    }

    private void remember(Key key, TrackingToken covered) {
        if (covered == null) {
            committed.remove(key);
        } else {
            committed.put(key, covered);
        }
    }

    /** Runs {@code action} once the current transaction (or unit of work) has committed; at once without either. */
    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> action.run());
        } else {
            action.run();
        }
    }
}
