package io.herald.identity.principal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class PrincipalCacheTest {

    private final AtomicLong now = new AtomicLong();
    private final PrincipalCache cache = new PrincipalCache(now::get);
    private final AtomicInteger lookups = new AtomicInteger();

    private Optional<String> lookup(String value) {
        lookups.incrementAndGet();
        return Optional.ofNullable(value);
    }

    @Test
    void aFoundPrincipal_isLookedUpOnce_withinTheTtl() {
        assertThat(cache.get("k", () -> lookup("v1"))).contains("v1");
        now.addAndGet(PrincipalCache.TTL.minusMillis(1).toNanos());
        assertThat(cache.get("k", () -> lookup("v2"))).contains("v1");
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aChangeMadeElsewhere_appliesOnceTheTtlHasPassed() {
        cache.get("k", () -> lookup("v1"));
        now.addAndGet(PrincipalCache.TTL.toNanos());
        assertThat(cache.get("k", () -> lookup("v2"))).contains("v2");
    }

    @Test
    void unknownCredentials_areNotRemembered() {
        assertThat(cache.get("k", () -> lookup(null))).isEmpty();
        assertThat(cache.get("k", () -> lookup("v"))).contains("v");
        assertThat(lookups).hasValue(2);
    }

    @Test
    void invalidateAll_forgetsAtOnce() {
        cache.get("k", () -> lookup("v1"));
        cache.invalidateAll();
        assertThat(cache.get("k", () -> lookup("v2"))).contains("v2");
    }

    @Test
    void aLookupOverlappingAnInvalidation_isNotRemembered() {
        // the lookup read the row before the change committed; the invalidation came while it ran
        assertThat(cache.get("k", () -> {
            cache.invalidateAll();
            return lookup("stale");
        })).contains("stale");
        assertThat(cache.get("k", () -> lookup("fresh"))).contains("fresh");
        assertThat(cache.get("k", () -> lookup("later"))).contains("fresh");
    }

    @Test
    void theTtl_isAFewSeconds() {
        assertThat(PrincipalCache.TTL).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }
}
