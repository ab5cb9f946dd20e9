package io.herald.identity.principal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A short memory of whom a request's credentials stand for (a user's roles and active flag, an API
 * key's principal), so that a busy client (tracking SDKs, n8n, the dashboard) does not cost a
 * database lookup on every request.
 * <ul>
 *   <li>Changes made through this instance (role change, deactivation, revoked key) apply at once:
 *       {@link PrincipalCacheInvalidation} empties the cache when such a change commits, and a
 *       lookup that started before the change can never store what it read (generation check).</li>
 *   <li>Changes made through another instance apply here within {@link #TTL}; so does the expiry of
 *       an API key (its expiry time is checked when the key is looked up).</li>
 * </ul>
 * Only found credentials are remembered; unknown ones are looked up every time.
 */
@Component
public class PrincipalCache {

    /** How long an entry may be used: the bound on changes made through other instances. */
    public static final Duration TTL = Duration.ofSeconds(3);
    static final long MAX_ENTRIES = 10_000;

    private record Entry(Object value, long generation) {
    }

    private final Cache<Object, Entry> entries;
    private final AtomicLong generation = new AtomicLong();

    public PrincipalCache() {
        this(Ticker.systemTicker());
    }

    PrincipalCache(Ticker ticker) {
        this.entries = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(MAX_ENTRIES).ticker(ticker).build();
    }

    /**
     * The remembered value under {@code key}, else what {@code lookup} finds (remembered when present,
     * unless the cache was invalidated meanwhile).
     */
    @SuppressWarnings("unchecked")
    public <V> Optional<V> get(Object key, Supplier<Optional<V>> lookup) {
        long current = generation.get();
        Entry entry = entries.getIfPresent(key);
        if (entry != null && entry.generation() == current) {
            return Optional.of((V) entry.value());
        }
        Optional<V> found = lookup.get();
        if (found.isPresent() && generation.get() == current) {
            // an invalidation between this check and the put leaves an entry of an old generation: never used
            entries.put(key, new Entry(found.get(), current));
        }
        return found;
    }

    /** Forgets everything (identity changes are rare; the next request of each caller looks up again). */
    public void invalidateAll() {
        generation.incrementAndGet();
        entries.invalidateAll();
    }
}
