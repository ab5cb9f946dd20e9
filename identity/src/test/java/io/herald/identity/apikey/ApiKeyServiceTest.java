package io.herald.identity.apikey;

import io.herald.api.common.DomainException;
import io.herald.identity.Scopes;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** The refusals of the API-key service, with the kinds and codes the README documents. */
class ApiKeyServiceTest {

    private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");

    private final ApiKeyStore store = mock(ApiKeyStore.class);
    private final ApiKeyService keys = new ApiKeyService(store, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void create_withAnUnknownScope_isInvalid_onTheScopesField() {
        DomainException e = catchThrowableOfType(DomainException.class,
                () -> keys.create("user:1", "n8n", Set.of(Scopes.READ, "everything"), null));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID);
        assertThat(e.code()).isEqualTo("api-key.invalid-scopes");
        assertThat(e.field()).isEqualTo("scopes");
        verifyNoInteractions(store);
    }

    @Test
    void create_expiringInThePast_isInvalid_onTheExpiresAtField() {
        DomainException e = catchThrowableOfType(DomainException.class,
                () -> keys.create("user:1", "n8n", Set.of(Scopes.READ), NOW));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID);
        assertThat(e.code()).isEqualTo("api-key.expiry-in-past");
        assertThat(e.field()).isEqualTo("expiresAt");
    }

    @Test
    void revokingAnUnknownKey_isNotFound() {
        when(store.revoke(any(), any())).thenReturn(false);
        when(store.exists(any())).thenReturn(false);

        DomainException e = catchThrowableOfType(DomainException.class, () -> keys.revoke(UUID.randomUUID()));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThat(e.code()).isEqualTo("api-key.not-found");
    }

    @Test
    void revokingAnAlreadyRevokedKey_succeeds() {
        when(store.revoke(any(), any())).thenReturn(false);
        when(store.exists(any())).thenReturn(true);

        assertThatCode(() -> keys.revoke(UUID.randomUUID())).doesNotThrowAnyException();
    }
}
