package io.herald.identity;

import java.util.Set;

/**
 * Who is calling: an operator (from a JWT, Herald's own or an external issuer's) or an API key.
 *
 * @param id     user id (own users), subject (external users) or API key id
 * @param name   e-mail of a user, label of a key
 * @param roles  roles of a user (empty for keys)
 * @param scopes scopes of a key (empty for users)
 */
public record HeraldPrincipal(Kind kind, String id, String name, Set<Role> roles, Set<String> scopes) {

    public enum Kind { USER, EXTERNAL_USER, API_KEY }

    public HeraldPrincipal {
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
    }

    /** The {@code actor} metadata value of commands sent by this principal. */
    public String actor() {
        return switch (kind) {
            case USER -> "user:" + id;
            case EXTERNAL_USER -> "oidc-user:" + id;
            case API_KEY -> "api-key:" + id;
        };
    }
}
