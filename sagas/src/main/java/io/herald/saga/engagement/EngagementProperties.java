package io.herald.saga.engagement;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code herald.engagement.*}: e-mail open and click tracking.
 *
 * @param machineWindow opens and clicks this soon after the send are flagged as a machine's
 *                      ({@code HERALD_ENGAGEMENT_MACHINE_WINDOW}, default 10 s; 0: no such rule)
 */
@ConfigurationProperties("herald.engagement")
public record EngagementProperties(Duration machineWindow) {

    public EngagementProperties {
        machineWindow = machineWindow == null ? Duration.ofSeconds(10) : machineWindow;
        if (machineWindow.isNegative()) {
            throw new IllegalArgumentException("herald.engagement.machine-window must not be negative");
        }
    }
}
