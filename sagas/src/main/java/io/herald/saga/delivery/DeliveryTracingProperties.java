package io.herald.saga.delivery;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The delivery worker's part of {@code herald.tracing.*} (README, "Traces and logs"); read only with tracing on.
 *
 * @param maxParentAge        a batch continues its launch's trace while the launch is at most this old; older, it
 *                            starts a new trace linked to it (default 15m)
 * @param clientSpansPerBatch outgoing calls of one batch that get a client span of their own (default 10); the
 *                            batch's other calls are only counted on the batch's span
 */
@ConfigurationProperties("herald.tracing")
public record DeliveryTracingProperties(Duration maxParentAge, Integer clientSpansPerBatch) {

    public DeliveryTracingProperties {
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
