package io.herald.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * {@code herald.rate-limits.*}: per route group, a limit per principal (user or key) or per client
 * address. A request counts against the first group whose paths and methods match.
 *
 * @param enabled              whether limits are enforced
 * @param writesWhenRedisDown  when Redis is configured but unreachable: {@code ALLOW} writes (fail open),
 *                             {@code LOCAL} (limit them in this instance), or {@code DENY} (503); reads always fail open
 * @param groups               the route groups, most specific first
 */
@ConfigurationProperties("herald.rate-limits")
public record RateLimitProperties(Boolean enabled, FailurePolicy writesWhenRedisDown, List<Group> groups) {

    public enum FailurePolicy { ALLOW, LOCAL, DENY }

    public enum Per { PRINCIPAL, IP }

    /**
     * @param name    shown in {@code RateLimit-Policy}
     * @param paths   Ant-style path patterns; empty: any path
     * @param methods HTTP methods; empty: any
     * @param per     who a bucket belongs to (anonymous callers always count per address)
     * @param limit   requests per {@code period}
     */
    public record Group(String name, List<String> paths, List<String> methods, Per per, long limit, Duration period) {
        public Group {
            paths = paths == null ? List.of() : List.copyOf(paths);
            methods = methods == null ? List.of() : methods.stream().map(String::toUpperCase).toList();
            per = per == null ? Per.PRINCIPAL : per;
            period = period == null ? Duration.ofMinutes(1) : period;
        }
    }

    public RateLimitProperties {
        enabled = enabled == null || enabled;
        writesWhenRedisDown = writesWhenRedisDown == null ? FailurePolicy.LOCAL : writesWhenRedisDown;
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
