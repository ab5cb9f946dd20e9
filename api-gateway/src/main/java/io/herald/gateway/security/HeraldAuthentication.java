package io.herald.gateway.security;

import io.herald.identity.HeraldPrincipal;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.ArrayList;
import java.util.List;

/** An authenticated {@link HeraldPrincipal}; authorities are {@code ROLE_<role>} and {@code SCOPE_<scope>}. */
public final class HeraldAuthentication extends AbstractAuthenticationToken {

    private final HeraldPrincipal principal;
    private final Object credentials;

    public HeraldAuthentication(HeraldPrincipal principal, Object credentials) {
        super(authoritiesOf(principal));
        this.principal = principal;
        this.credentials = credentials;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authoritiesOf(HeraldPrincipal principal) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        principal.roles().forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r.name())));
        principal.scopes().forEach(s -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + s)));
        return authorities;
    }

    @Override
    public HeraldPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public Object getCredentials() {
        return credentials;
    }

    @Override
    public String getName() {
        return principal.actor();
    }
}
