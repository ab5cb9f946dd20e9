package io.herald.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Puts who is calling ({@code actor}: {@code user:<id>}, {@code api-key:<id>} ... or {@code anonymous}) in the
 * logging context for the rest of the request, beside the correlation id. Runs after Spring Security's filter
 * chain (no order: servlet filters without one come after it), once the caller is known. An id, never an e-mail
 * address.
 */
@Component
public class ActorMdcFilter extends OncePerRequestFilter {

    public static final String MDC_ACTOR = "actor";

    private final RequestContext requestContext;

    public ActorMdcFilter(RequestContext requestContext) {
        this.requestContext = requestContext;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        MDC.put(MDC_ACTOR, requestContext.actor());
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_ACTOR);
        }
    }
}
