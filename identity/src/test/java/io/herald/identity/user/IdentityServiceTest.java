package io.herald.identity.user;

import io.herald.api.common.DomainException;
import io.herald.identity.IdentityProperties;
import io.herald.identity.Role;
import io.herald.identity.Secrets;
import io.herald.identity.token.TokenService;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The refusals of the identity service: each has the kind (so the API's status) and code the README documents. */
class IdentityServiceTest {

    private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");
    private static final String STRONG_PASSWORD = "Tidal-Lantern-Quokka-42";

    private final UserStore users = mock(UserStore.class);
    private final RefreshTokenStore refreshTokens = mock(RefreshTokenStore.class);
    private final InvitationStore invitations = mock(InvitationStore.class);
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final IdentityProperties properties = new IdentityProperties(null, null, null, null, null);
    private final CountingFailures failures = new CountingFailures();
    private final IdentityService identity = new IdentityService(
            users, refreshTokens, invitations, encoder, new PasswordPolicy(properties), mock(TokenService.class),
            new LoginThrottle(failures, properties), properties, Clock.fixed(NOW, ZoneOffset.UTC));

    /** Counts failures per key in memory; refuses once a key has used up its limit. */
    static final class CountingFailures implements FailureCounter {
        final Map<String, Long> counts = new java.util.HashMap<>();

        @Override
        public Count peek(String key, Limit limit) {
            long left = limit.maxFailures() - counts.getOrDefault(key, 0L);
            return new Count(left > 0, Math.max(0, left), left > 0 ? 0 : 60);
        }

        @Override
        public Count add(String key, Limit limit) {
            counts.merge(key, 1L, Long::sum);
            return peek(key, limit);
        }
    }

    private static DomainException refusal(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(DomainException.class);
        return (DomainException) thrown;
    }

    private User user(UUID id, Set<Role> roles, boolean active) {
        return new User(id, "ada@example.com", "Ada", roles, active, NOW, null);
    }

    @Test
    void register_withoutInvitation_onceAnAccountExists_isForbidden() {
        when(users.anyUser()).thenReturn(true);

        DomainException e = refusal(() -> identity.register("ada@example.com", STRONG_PASSWORD, null, null));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN);
        assertThat(e.code()).isEqualTo("auth.registration-closed");
        verify(users, never()).insert(any(), anyString(), any(), anyString(), any(), any());
    }

    @Test
    void register_withAnUnknownInvitation_isInvalid_onTheTokenField() {
        when(users.anyUser()).thenReturn(true);
        when(invitations.findForUpdate(anyString())).thenReturn(Optional.empty());

        DomainException e = refusal(() -> identity.register("ada@example.com", STRONG_PASSWORD, null, "nope"));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID);
        assertThat(e.code()).isEqualTo("auth.invitation-invalid");
        assertThat(e.details())
                .containsEntry("errors", List.of(Map.of("field", "invitationToken", "message", "invalid")));
    }

    @Test
    void register_withAWeakPassword_isInvalid_onThePasswordField() {
        DomainException e = refusal(() -> identity.register("ada@example.com", "password1", null, null));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID);
        assertThat(e.code()).isEqualTo("auth.password-weak");
        assertThat(e.field()).isEqualTo("password");
    }

    @Test
    void register_withATakenEmail_isAConflict() {
        when(users.anyUser()).thenReturn(false);
        doThrow(new DuplicateKeyException("app_user_email")).when(users)
                .insert(any(), anyString(), any(), anyString(), any(), any());

        DomainException e = refusal(() -> identity.register("ada@example.com", STRONG_PASSWORD, null, null));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(e.code()).isEqualTo("auth.email-taken");
    }

    @Test
    void login_withAWrongPassword_isUnauthenticated_andCountsTheFailure() {
        UUID id = UUID.randomUUID();
        when(users.findByEmail("ada@example.com"))
                .thenReturn(Optional.of(new UserStore.Credentials(user(id, Set.of(Role.ADMIN), true),
                                                                  encoder.encode(STRONG_PASSWORD))));

        DomainException e = refusal(() -> identity.login("Ada@Example.com", "not the password", "10.0.0.1"));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.UNAUTHENTICATED);
        assertThat(e.code()).isEqualTo("auth.invalid-credentials");
        assertThat(failures.counts).containsEntry("login-failures:ip:10.0.0.1", 1L)
                .containsEntry("login-failures:account:" + Secrets.sha256("ada@example.com"), 1L);
    }

    @Test
    void login_afterTooManyFailures_isThrottled_withRetryAfter() {
        failures.counts.put("login-failures:account:" + Secrets.sha256("ada@example.com"), 5L);

        DomainException e = refusal(() -> identity.login("ada@example.com", STRONG_PASSWORD, "10.0.0.1"));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.THROTTLED);
        assertThat(e.code()).isEqualTo("auth.too-many-failures");
        assertThat(e.details()).containsEntry(DomainException.RETRY_AFTER_SECONDS, 60L);
        verify(users, never()).findByEmail(anyString());
    }

    @Test
    void refresh_withARotatedToken_revokesTheFamily_andIsUnauthenticated() {
        UUID family = UUID.randomUUID();
        when(refreshTokens.findForUpdate(Secrets.sha256("old"))).thenReturn(Optional.of(new RefreshTokenStore.Stored(
                UUID.randomUUID(), family, UUID.randomUUID(), NOW.plusSeconds(3600), NOW.minusSeconds(5), null)));

        DomainException e = refusal(() -> identity.refresh("old"));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.UNAUTHENTICATED);
        assertThat(e.code()).isEqualTo("auth.refresh-token-reused");
        verify(refreshTokens).revokeFamily(family, NOW, "reuse-detected");
    }

    @Test
    void refresh_commitsTheFamilyRevocation_althoughItRefuses() throws NoSuchMethodException {
        Transactional transactional = IdentityService.class.getMethod("refresh", String.class)
                .getAnnotation(Transactional.class);

        assertThat(transactional.noRollbackFor()).containsExactly(DomainException.class);
    }

    @Test
    void refresh_withAnUnknownToken_isUnauthenticated() {
        when(refreshTokens.findForUpdate(anyString())).thenReturn(Optional.empty());

        DomainException e = refusal(() -> identity.refresh("unknown"));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.UNAUTHENTICATED);
        assertThat(e.code()).isEqualTo("auth.refresh-token-invalid");
    }

    @Test
    void demotingTheLastActiveAdmin_isAConflict() {
        UUID id = UUID.randomUUID();
        when(users.findById(id)).thenReturn(Optional.of(user(id, Set.of(Role.ADMIN), true)));
        when(users.countActiveAdminsOtherThan(id)).thenReturn(0L);

        DomainException e = refusal(() -> identity.changeRoles(id, Set.of(Role.ANALYST)));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(e.code()).isEqualTo("users.last-admin");
        verify(users, never()).updateRoles(eq(id), any(), any());
    }

    @Test
    void deactivatingAnUnknownUser_isNotFound() {
        when(users.findById(any())).thenReturn(Optional.empty());

        DomainException e = refusal(() -> identity.deactivate(UUID.randomUUID()));

        assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
        assertThat(e.code()).isEqualTo("user.not-found");
    }

    @Test
    void withdrawingAnUnknownInvitation_isNotFound() {
        when(invitations.delete(any())).thenReturn(false);

        assertThatThrownBy(() -> identity.withdrawInvitation(UUID.randomUUID()))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
                    assertThat(e.code()).isEqualTo("invitation.not-found");
                });
    }
}
