package io.herald.gateway.metrics;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsUnitTest {

    @Test
    void managementPort_isTheHttpPortPlusOne_randomWithARandomHttpPort() {
        assertThat(ManagementPortEnvironment.defaultPort(null)).isEqualTo(8081);
        assertThat(ManagementPortEnvironment.defaultPort("8080")).isEqualTo(8081);
        assertThat(ManagementPortEnvironment.defaultPort("9000")).isEqualTo(9001);
        assertThat(ManagementPortEnvironment.defaultPort("0")).isZero();
        assertThat(ManagementPortEnvironment.defaultPort("65535")).isNull();
        assertThat(ManagementPortEnvironment.defaultPort("http")).isNull();
    }

    @Test
    void processorLag_isTheHeadMinusEachSegmentsPosition_neverNegative() {
        Map<String, Map<Integer, Long>> positions = new HashMap<>();
        Map<Integer, Long> send = new HashMap<>();
        send.put(0, 90L);
        send.put(1, 105L); // read past the head as cached a moment ago
        send.put(2, null); // has read nothing yet
        positions.put("campaign-send", send);

        var lags = ProcessorLagMetrics.lags(positions, 100L);

        assertThat(lags).containsEntry(new ProcessorLagMetrics.Segment("campaign-send", 0), 10.0)
                .containsEntry(new ProcessorLagMetrics.Segment("campaign-send", 1), 0.0)
                .containsEntry(new ProcessorLagMetrics.Segment("campaign-send", 2), 100.0);
        assertThat(ProcessorLagMetrics.lags(positions, null).values()).allMatch(v -> v.isNaN());
    }

    @Test
    void trackingRejections_areClientErrorsOtherThanAuthAndRateLimits() {
        assertThat(TrackingRejections.isRejection(400)).isTrue();
        assertThat(TrackingRejections.isRejection(413)).isTrue();
        assertThat(TrackingRejections.isRejection(200)).isFalse();
        assertThat(TrackingRejections.isRejection(401)).isFalse();
        assertThat(TrackingRejections.isRejection(403)).isFalse();
        assertThat(TrackingRejections.isRejection(429)).isFalse();
        assertThat(TrackingRejections.isRejection(500)).isFalse();
    }
}
