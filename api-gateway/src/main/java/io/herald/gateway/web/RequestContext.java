package io.herald.gateway.web;

import io.herald.gateway.security.HeraldAuthentication;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * Who is calling and under which correlation id, for the request on the current thread. The
 * correlation id is put in the MDC by {@link CorrelationIdFilter}; outside a request a fresh one
 * is made so every command still carries one.
 */
@Component
public class RequestContext {

    public static final String MDC_CORRELATION_ID = "correlationId";
    public static final String ANONYMOUS = "anonymous";

    public String correlationId() {
        String id = MDC.get(MDC_CORRELATION_ID);
        return id != null ? id : UUID.randomUUID().toString();
    }

    /** {@code user:<id>}, {@code oidc-user:<subject>} or {@code api-key:<id>}; {@code anonymous} otherwise. */
    public String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof HeraldAuthentication herald ? herald.getPrincipal().actor() : ANONYMOUS;
    }
}
