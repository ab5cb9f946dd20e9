package io.herald.gateway.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The gateway's part of {@code herald.tracing.*} (README, "Traces and logs"). The endpoint and sampling ratio are
 * read by {@link TracingEnvironment}; the delivery worker's settings are the sagas module's.
 *
 * @param maxParentAge an event continues the trace of what produced it while it is at most this old; older, its
 *                     handling starts a new trace linked to it (default 15m)
 */
@ConfigurationProperties("herald.tracing")
public record TracingProperties(Duration maxParentAge) {

    public TracingProperties {
        if (maxParentAge == null) {
            maxParentAge = Duration.ofMinutes(15);
        }
        if (maxParentAge.isNegative()) {
            throw new IllegalStateException("herald.tracing.max-parent-age must not be negative");
        }
    }
}
