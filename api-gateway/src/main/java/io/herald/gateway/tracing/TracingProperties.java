package io.herald.gateway.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code herald.tracing.*} (README, "Traces"). The endpoint and sampling ratio are read by
 * {@link TracingEnvironment}; these are for Herald's own spans.
 *
 * @param maxParentAge        an event (or a delivery batch) continues the trace of what caused it while that is at
 *                            most this old; older, it starts a new trace linked to it (default 15m)
 * @param clientSpansPerBatch outgoing calls of one delivery batch that get a client span of their own (default 10);
 *                            the batch's other calls are only counted on the batch's span
 */
@ConfigurationProperties("herald.tracing")
public record TracingProperties(Duration maxParentAge, Integer clientSpansPerBatch) {

    public TracingProperties {
        if (maxParentAge == null) {
            maxParentAge = Duration.ofMinutes(15);
        }
        if (maxParentAge.isNegative()) {
            throw new IllegalStateException("herald.tracing.max-parent-age must not be negative");
        }
        if (clientSpansPerBatch == null) {
            clientSpansPerBatch = 10;
        }
        if (clientSpansPerBatch < 0) {
            throw new IllegalStateException("herald.tracing.client-spans-per-batch must not be negative");
        }
    }
}
