package io.herald.saga.delivery;

import io.herald.api.campaign.Channel;
import io.herald.api.delivery.DeliveryStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryMetricsTest {

    private static Deliveries.Recorded row(DeliveryStatus status, String reason) {
        return new Deliveries.Recorded("c", status, reason, 1, null);
    }

    private static double sends(SimpleMeterRegistry registry, String channel, String outcome) {
        return registry.get(DeliveryMetrics.SENDS).tag("channel", channel).tag("outcome", outcome).counter().count();
    }

    @Test
    void recorded_countsEachFinalOutcomeAndRetries_butNotRecipientsGivenBack() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DeliveryMetrics metrics = new DeliveryMetrics(registry);

        metrics.recorded(Channel.WEBHOOK, List.of(
                row(DeliveryStatus.SENT, null), row(DeliveryStatus.SENT, null),
                row(DeliveryStatus.FAILED, "rejected"), row(DeliveryStatus.SKIPPED, "no-consent"),
                row(DeliveryStatus.UNKNOWN, "worker-died"),
                row(DeliveryStatus.PENDING, "transient"), // a retry scheduled
                row(DeliveryStatus.PENDING, null)));     // paused before its send: given back, not counted
        metrics.recorded(Channel.EMAIL, List.of(row(DeliveryStatus.SENT, null)));

        assertThat(sends(registry, "webhook", "sent")).isEqualTo(2);
        assertThat(sends(registry, "webhook", "failed")).isEqualTo(1);
        assertThat(sends(registry, "webhook", "skipped")).isEqualTo(1);
        assertThat(sends(registry, "webhook", "unknown")).isEqualTo(1);
        assertThat(sends(registry, "webhook", "retry")).isEqualTo(1);
        assertThat(sends(registry, "email", "sent")).isEqualTo(1);
        assertThat(sends(registry, "sms", "sent")).isZero();
        // one series per channel and outcome, whatever the campaigns: bounded
        assertThat(registry.find(DeliveryMetrics.SENDS).counters())
                .hasSize(Channel.values().length * DeliveryMetrics.Outcome.values().length);
    }

    @Test
    void acquire_timesTheThrottleWaitPerChannel() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DeliveryMetrics metrics = new DeliveryMetrics(registry);
        SendThrottle slow = (channel, campaign, rate, wanted) -> {
            Thread.sleep(30);
            return 1;
        };

        assertThat(metrics.acquire(slow, Channel.SMS, "c", 1, 5)).isEqualTo(1);

        var timer = registry.get(DeliveryMetrics.THROTTLE_WAIT).tag("channel", "sms").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(25);
    }
}
