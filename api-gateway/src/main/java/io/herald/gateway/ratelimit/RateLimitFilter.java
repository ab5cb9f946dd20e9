package io.herald.gateway.ratelimit;

import io.herald.gateway.security.HeraldAuthentication;
import io.herald.gateway.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Applies {@code herald.rate-limits}: answers {@code RateLimit-Limit}, {@code RateLimit-Remaining},
 * {@code RateLimit-Reset} and {@code RateLimit-Policy} on limited routes, and 429 with
 * {@code Retry-After} once a bucket is empty. Runs after authentication, so buckets belong to the
 * user or key; anonymous callers count per client address.
 */
public class RateLimitFilter extends OncePerRequestFilter {

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final RateLimiter limiter;
    private final RateLimitProperties properties;
    private final ProblemWriter problems;
    private final AntPathMatcher matcher = new AntPathMatcher();

    public RateLimitFilter(RateLimiter limiter, RateLimitProperties properties, ProblemWriter problems) {
        this.limiter = limiter;
        this.properties = properties;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !properties.enabled();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RateLimitProperties.Group group = groupOf(request);
        if (group == null) {
            chain.doFilter(request, response);
            return;
        }
        Limit limit = new Limit(group.limit(), group.period());
        boolean write = !READ_METHODS.contains(request.getMethod());
        RateLimiter.Decision decision = limiter.consume(group.name() + ":" + subject(request, group), limit, write);
        if (decision.probe() != null) {
            response.setHeader("RateLimit-Limit", String.valueOf(group.limit()));
            response.setHeader("RateLimit-Remaining", String.valueOf(decision.probe().remaining()));
            response.setHeader("RateLimit-Reset", String.valueOf(decision.probe().secondsToRefill()));
            response.setHeader("RateLimit-Policy", group.limit() + ";w=" + group.period().toSeconds()
                    + ";name=\"" + group.name() + "\"");
        }
        if (decision.allowed()) {
            chain.doFilter(request, response);
        } else if (decision.unavailable()) {
            response.setHeader("Retry-After", "5");
            problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "rate-limit.unavailable",
                           "Writes are paused while the rate-limit store is unreachable", Map.of());
        } else {
            long retryAfter = decision.probe().retryAfterSeconds();
            response.setHeader("Retry-After", String.valueOf(retryAfter));
            problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                           "Too many requests in group '" + group.name() + "'; retry in " + retryAfter + " s",
                           Map.of("group", group.name(), "retryAfterSeconds", retryAfter));
        }
    }

    private RateLimitProperties.Group groupOf(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (RateLimitProperties.Group group : properties.groups()) {
            boolean pathMatches = group.paths().isEmpty()
                    || group.paths().stream().anyMatch(p -> matcher.match(p, path));
            boolean methodMatches = group.methods().isEmpty() || group.methods().contains(request.getMethod());
            if (pathMatches && methodMatches) {
                return group;
            }
        }
        return null;
    }

    private static String subject(HttpServletRequest request, RateLimitProperties.Group group) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (group.per() == RateLimitProperties.Per.PRINCIPAL && authentication instanceof HeraldAuthentication herald) {
            return herald.getPrincipal().actor();
        }
        return "ip:" + request.getRemoteAddr();
    }
}
