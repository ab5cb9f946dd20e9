package io.herald.identity.user;

import io.herald.identity.Role;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** An operator account as the API shows it (never with its password hash). */
public record User(UUID id, String email, String displayName, Set<Role> roles, boolean active, Instant createdAt,
                   Instant lastLoginAt) {
}
