package io.herald.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.regex.Pattern;

/**
 * Axon's monitors ({@code axon-micrometer}) time every message three more times by its result and publish six
 * client-side percentiles per timer, per processor and message type: about 40 series for each pair. Herald keeps
 * {@code allTimer} (count, sum, max) and the counters (success, failure, ignored, ingested, processed), which say
 * the same, and drops the per-result timers and the percentiles (they cannot be added up over instances anyway).
 */
@Configuration(proxyBeanMethods = false)
class AxonMeters {

    static final String COMPONENTS = "(commandBus|eventProcessor|eventStore|queryBus|queryUpdateEmitter)";
    static final Pattern AXON = Pattern.compile("^" + COMPONENTS + "\\.");
    static final Pattern PER_RESULT_TIMER = Pattern.compile("^" + COMPONENTS + "\\.(success|failure|ignored)Timer$");

    @Bean
    MeterFilter axonMetersTrimmed() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return PER_RESULT_TIMER.matcher(id.getName()).matches()
                        ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!AXON.matcher(id.getName()).find()) {
                    return config;
                }
                return DistributionStatisticConfig.builder().percentiles(new double[0]).build().merge(config);
            }
        };
    }
}
