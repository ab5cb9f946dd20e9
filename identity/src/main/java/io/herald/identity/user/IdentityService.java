package io.herald.identity.user;

import io.herald.api.common.DomainException;
import io.herald.identity.IdentityProperties;
import io.herald.identity.Role;
import io.herald.identity.Secrets;
import io.herald.identity.token.TokenService;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Registration, sign-in, token refresh and sign-out, invitations, and the admin's user management. */
@Service
public class IdentityService {

    /** What sign-in and refresh answer. */
    public record Session(String accessToken, Instant accessTokenExpiresAt, String refreshToken,
                          Instant refreshTokenExpiresAt, User user) {
    }

    public record IssuedInvitation(UUID id, String token, String email, Role role, Instant expiresAt) {
    }

    private static final String INVALID_LOGIN = "Invalid e-mail or password";

    private final UserStore users;
    private final RefreshTokenStore refreshTokens;
    private final InvitationStore invitations;
    private final PasswordEncoder passwordEncoder;
    private final PasswordPolicy passwordPolicy;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final IdentityProperties properties;
    private final Clock clock;
    /** Compared against when the account does not exist, so both paths take as long. */
    private final String dummyHash;

    public IdentityService(UserStore users, RefreshTokenStore refreshTokens, InvitationStore invitations,
                           PasswordEncoder passwordEncoder, PasswordPolicy passwordPolicy, TokenService tokens,
                           LoginThrottle throttle, IdentityProperties properties, Clock clock) {
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.invitations = invitations;
        this.passwordEncoder = passwordEncoder;
        this.passwordPolicy = passwordPolicy;
        this.tokens = tokens;
        this.throttle = throttle;
        this.properties = properties;
        this.clock = clock;
        this.dummyHash = passwordEncoder.encode(Secrets.random(24));
    }

    static String normaliseEmail(String email) {
        return email.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The first account becomes ADMIN; after that an invitation is needed, unless open registration
     * is configured.
     */
    @Transactional
    public User register(String email, String password, String displayName, String invitationToken) {
        String normalised = normaliseEmail(email);
        passwordPolicy.problem(password, normalised).ifPresent(p -> {
            throw DomainException.invalid("password", "auth.password-weak", "password " + p);
        });
        users.lockRegistrations();
        Instant now = clock.instant();
        Set<Role> roles;
        InvitationStore.Invitation invitation = null;
        if (!users.anyUser()) {
            roles = EnumSet.of(Role.ADMIN);
        } else if (invitationToken != null && !invitationToken.isBlank()) {
            invitation = invitations.findForUpdate(Secrets.sha256(invitationToken))
                    .filter(i -> i.acceptedAt() == null && i.expiresAt().isAfter(now))
                    .orElseThrow(() -> new DomainException(DomainException.Kind.INVALID, "auth.invitation-invalid",
                                                           "The invitation is unknown, used or expired", null,
                                                           Map.of("errors", List.of(Map.of("field", "invitationToken",
                                                                                           "message", "invalid")))));
            if (invitation.email() != null && !invitation.email().equalsIgnoreCase(normalised)) {
                throw DomainException.invalid("email", "auth.invitation-email-mismatch",
                                              "The invitation is for another e-mail address");
            }
            roles = EnumSet.of(invitation.role());
        } else if (properties.registration().open()) {
            roles = EnumSet.of(properties.registration().openRole());
        } else {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "auth.registration-closed",
                                      "Registration needs an invitation from an administrator");
        }
        UUID id = UUID.randomUUID();
        try {
            users.insert(id, normalised, displayName == null ? null : displayName.strip(),
                         passwordEncoder.encode(password), roles, now);
        } catch (DuplicateKeyException e) {
            throw emailTaken();
        }
        if (invitation != null) {
            invitations.markAccepted(invitation.id(), id, now);
        }
        return users.findById(id).orElseThrow();
    }

    /** Checks the password (throttled per account and address) and opens a new refresh-token family. */
    public Session login(String email, String password, String address) {
        String normalised = normaliseEmail(email);
        throttle.checkAllowed(normalised, address);
        Optional<UserStore.Credentials> credentials = users.findByEmail(normalised);
        boolean matches = passwordEncoder.matches(password, credentials.map(UserStore.Credentials::passwordHash)
                .orElse(dummyHash));
        if (credentials.isEmpty() || !matches || !credentials.get().user().active()) {
            Duration hold = throttle.recordFailure(normalised, address);
            sleep(hold);
            throw new DomainException(DomainException.Kind.UNAUTHENTICATED, "auth.invalid-credentials", INVALID_LOGIN);
        }
        User user = credentials.get().user();
        Instant now = clock.instant();
        users.recordLogin(user.id(), now);
        return newSession(user, UUID.randomUUID(), now);
    }

    /**
     * Rotates a refresh token. Presenting one that was already rotated (or revoked) is taken as
     * theft: the whole family is revoked and the caller must sign in again.
     */
    @Transactional(noRollbackFor = DomainException.class)
    public Session refresh(String refreshToken) {
        Instant now = clock.instant();
        RefreshTokenStore.Stored stored = refreshTokens.findForUpdate(Secrets.sha256(refreshToken))
                .orElseThrow(IdentityService::invalidRefresh);
        if (stored.rotatedAt() != null || stored.revokedAt() != null) {
            refreshTokens.revokeFamily(stored.familyId(), now, "reuse-detected");
            throw new DomainException(DomainException.Kind.UNAUTHENTICATED, "auth.refresh-token-reused",
                                      "This refresh token was already used; every session of this sign-in is revoked");
        }
        if (!stored.expiresAt().isAfter(now)) {
            throw invalidRefresh();
        }
        User user = users.findById(stored.userId()).filter(User::active).orElseThrow(IdentityService::invalidRefresh);
        refreshTokens.markRotated(stored.id(), now);
        return newSession(user, stored.familyId(), now);
    }

    /** Revokes the family of the presented refresh token (unknown tokens are ignored). */
    @Transactional
    public void logout(String refreshToken) {
        refreshTokens.findForUpdate(Secrets.sha256(refreshToken))
                .ifPresent(t -> refreshTokens.revokeFamily(t.familyId(), clock.instant(), "logout"));
    }

    private Session newSession(User user, UUID familyId, Instant now) {
        TokenService.AccessToken access = tokens.issue(user.id(), user.email(), user.roles());
        String refresh = Secrets.random(48);
        Instant refreshExpires = now.plus(properties.jwt().refreshTokenTtl());
        refreshTokens.insert(UUID.randomUUID(), familyId, user.id(), Secrets.sha256(refresh), now, refreshExpires);
        return new Session(access.value(), access.expiresAt(), refresh, refreshExpires, user);
    }

    @Transactional
    public IssuedInvitation invite(String adminActor, String email, Role role) {
        Instant now = clock.instant();
        String normalised = email == null || email.isBlank() ? null : normaliseEmail(email);
        if (normalised != null && users.findByEmail(normalised).isPresent()) {
            throw emailTaken();
        }
        String token = Secrets.random(40);
        UUID id = UUID.randomUUID();
        Instant expiresAt = now.plus(properties.registration().invitationTtl());
        invitations.insert(id, Secrets.sha256(token), normalised, role, adminActor, now, expiresAt);
        return new IssuedInvitation(id, token, normalised, role, expiresAt);
    }

    public List<InvitationStore.Invitation> pendingInvitations() {
        return invitations.findPending(clock.instant());
    }

    public void withdrawInvitation(UUID id) {
        if (!invitations.delete(id)) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "invitation.not-found",
                                      "No pending invitation with id " + id);
        }
    }

    public List<User> users() {
        return users.findAll();
    }

    @Transactional
    public User changeRoles(UUID id, Set<Role> roles) {
        users.lockAdmins();
        User user = users.findById(id).orElseThrow(() -> userNotFound(id));
        if (user.roles().contains(Role.ADMIN) && !roles.contains(Role.ADMIN) && user.active()
                && users.countActiveAdminsOtherThan(id) == 0) {
            throw lastAdmin();
        }
        users.updateRoles(id, roles, clock.instant());
        return users.findById(id).orElseThrow();
    }

    /** Deactivates an account: refused on the next request (tokens are checked against it), refresh tokens revoked. */
    @Transactional
    public User deactivate(UUID id) {
        users.lockAdmins();
        User user = users.findById(id).orElseThrow(() -> userNotFound(id));
        if (user.roles().contains(Role.ADMIN) && user.active() && users.countActiveAdminsOtherThan(id) == 0) {
            throw lastAdmin();
        }
        Instant now = clock.instant();
        users.setActive(id, false, now);
        refreshTokens.revokeAllOfUser(id, now, "deactivated");
        return users.findById(id).orElseThrow();
    }

    @Transactional
    public User activate(UUID id) {
        users.findById(id).orElseThrow(() -> userNotFound(id));
        users.setActive(id, true, clock.instant());
        return users.findById(id).orElseThrow();
    }

    private static DomainException userNotFound(UUID id) {
        return new DomainException(DomainException.Kind.NOT_FOUND, "user.not-found", "No user with id " + id);
    }

    private static DomainException invalidRefresh() {
        return new DomainException(DomainException.Kind.UNAUTHENTICATED, "auth.refresh-token-invalid",
                                   "The refresh token is unknown, expired or revoked");
    }

    private static DomainException emailTaken() {
        return new DomainException(DomainException.Kind.CONFLICT, "auth.email-taken",
                                   "An account with this e-mail exists");
    }

    private static DomainException lastAdmin() {
        return new DomainException(DomainException.Kind.CONFLICT, "users.last-admin",
                                   "Herald needs at least one active admin");
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
