package io.herald.identity.apikey;

import io.herald.api.common.DomainException;
import io.herald.identity.HeraldPrincipal;
import io.herald.identity.Scopes;
import io.herald.identity.Secrets;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys for machines (n8n, back ends). A key reads {@code hk_<prefix>_<secret>}: the prefix finds
 * it, a SHA-256 of the whole key proves it. The secret is shown once, at creation. Revocation and
 * expiry take effect on the next request on this instance, and within {@code PrincipalCache.TTL}
 * (3 s) on other instances: a key that authenticated is remembered that long.
 */
@Service
public class ApiKeyService {

    public static final String KEY_PREFIX = "hk_";
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    public record CreatedKey(ApiKeyStore.ApiKey key, String secret) {
    }

    private final ApiKeyStore store;
    private final Clock clock;
    private final Map<UUID, Instant> lastTouched = new ConcurrentHashMap<>();

    public ApiKeyService(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public CreatedKey create(String adminActor, String label, Set<String> scopes, Instant expiresAt) {
        Set<String> unknown = new LinkedHashSet<>(scopes);
        unknown.removeAll(Scopes.ALL);
        if (scopes.isEmpty() || !unknown.isEmpty()) {
            throw DomainException.invalid("scopes", "api-key.invalid-scopes",
                                          "scopes must be a non-empty subset of " + Scopes.ALL);
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw DomainException.invalid("expiresAt", "api-key.expiry-in-past", "expiresAt must be in the future");
        }
        String prefix = Secrets.random(8);
        String secret = KEY_PREFIX + prefix + "_" + Secrets.random(40);
        UUID id = UUID.randomUUID();
        store.insert(id, prefix, Secrets.sha256(secret), label.strip(), new LinkedHashSet<>(scopes), adminActor, now, expiresAt);
        return new CreatedKey(store.findByPrefix(prefix).orElseThrow().key(), secret);
    }

    public List<ApiKeyStore.ApiKey> list() {
        return store.findAll();
    }

    public void revoke(UUID id) {
        if (!store.revoke(id, clock.instant()) && !store.exists(id)) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "api-key.not-found", "No API key with id " + id);
        }
    }

    /** The principal of a presented key, or empty when it is malformed, unknown, revoked or expired. */
    public Optional<HeraldPrincipal> authenticate(String presented) {
        if (presented == null || !presented.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        int separator = presented.indexOf('_', KEY_PREFIX.length());
        if (separator < 0) {
            return Optional.empty();
        }
        String prefix = presented.substring(KEY_PREFIX.length(), separator);
        Instant now = clock.instant();
        return store.findByPrefix(prefix)
                .filter(k -> Secrets.sameHash(k.secretHash(), Secrets.sha256(presented)))
                .map(ApiKeyStore.WithHash::key)
                .filter(k -> k.revokedAt() == null && (k.expiresAt() == null || k.expiresAt().isAfter(now)))
                .map(k -> {
                    touch(k.id(), now);
                    return new HeraldPrincipal(HeraldPrincipal.Kind.API_KEY, k.id().toString(), k.label(), Set.of(),
                                               k.scopes());
                });
    }

    /** Records use at most once a minute per key, so hot keys do not write on every request. */
    private void touch(UUID id, Instant now) {
        Instant last = lastTouched.get(id);
        if (last == null || Duration.between(last, now).compareTo(LAST_USED_RESOLUTION) >= 0) {
            lastTouched.put(id, now);
            store.touch(id, now);
        }
    }
}
