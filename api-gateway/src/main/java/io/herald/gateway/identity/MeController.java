package io.herald.gateway.identity;

import io.herald.gateway.security.HeraldAuthentication;
import io.herald.identity.HeraldPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Set;

/** Who the caller is, as Herald sees it. */
@RestController
class MeController {

    record Me(String kind, String id, String name, Set<String> roles, Set<String> scopes, String actor) {
    }

    @GetMapping("/api/me")
    Me me(HeraldAuthentication authentication) {
        HeraldPrincipal p = authentication.getPrincipal();
        return new Me(p.kind().name(), p.id(), p.name(),
                      p.roles().stream().map(Enum::name).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)),
                      new java.util.TreeSet<>(p.scopes()), p.actor());
    }
}
