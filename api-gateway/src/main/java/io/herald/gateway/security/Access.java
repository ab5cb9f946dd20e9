package io.herald.gateway.security;

import io.herald.identity.HeraldPrincipal;
import io.herald.identity.Role;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may call an endpoint: anyone, any authenticated principal, or operators with one of
 * {@code roles} and API keys with one of {@code scopes}.
 */
public record Access(boolean isPublic, boolean anyAuthenticated, Set<Role> roles, Set<String> scopes) {

    public static final Access PUBLIC = new Access(true, false, Set.of(), Set.of());
    public static final Access AUTHENTICATED = new Access(false, true, Set.of(), Set.of());

    public static Access roles(Role... roles) {
        return new Access(false, false, Set.copyOf(List.of(roles)), Set.of());
    }

    public Access orScopes(String... scopes) {
        Set<String> all = new LinkedHashSet<>(this.scopes);
        all.addAll(List.of(scopes));
        return new Access(isPublic, anyAuthenticated, roles, all);
    }

    public boolean admits(HeraldPrincipal principal) {
        if (isPublic || anyAuthenticated) {
            return true;
        }
        return principal.roles().stream().anyMatch(roles::contains)
                || principal.scopes().stream().anyMatch(scopes::contains);
    }

    /** How the README lists it. */
    public String describe() {
        if (isPublic) {
            return "public";
        }
        if (anyAuthenticated) {
            return "any authenticated user or key";
        }
        Set<Role> sorted = roles.isEmpty() ? Set.of() : EnumSet.copyOf(roles);
        String text = String.join(", ", sorted.stream().map(Enum::name).toList());
        if (!scopes.isEmpty()) {
            text += "; keys: " + String.join(", ", scopes.stream().sorted().toList());
        }
        return text;
    }
}
