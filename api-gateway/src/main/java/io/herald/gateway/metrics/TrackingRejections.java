package io.herald.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/**
 * {@code herald.tracking.events{result="rejected"}}: tracking requests refused as invalid (a 4xx answer from the
 * tracking endpoints: a malformed body, a bad timestamp, a batch out of bounds, an invalid event). A refused
 * batch is refused whole and counts once. The other results are counted where events are stored (the command
 * side's {@code AudienceMetrics}, under the same name). Requests refused before reaching the endpoint
 * (authentication, rate limits, the body size limit) are in {@code http_server_requests_seconds} by status.
 */
@Configuration(proxyBeanMethods = false)
class TrackingRejections implements WebMvcConfigurer {

    /** The command side's tracking counter (AudienceMetrics.TRACKED_EVENTS; the gateway may not use its classes). */
    static final String TRACKED_EVENTS = "herald.tracking.events";

    static final List<String> PATHS = List.of(
            "/api/track", "/api/track/batch",
            "/v1/track", "/v1/track/", "/v1/page", "/v1/page/", "/v1/screen", "/v1/screen/",
            "/v1/batch", "/v1/batch/", "/v1/import", "/v1/import/");

    private final Counter rejected;

    TrackingRejections(MeterRegistry registry) {
        this.rejected = Counter.builder(TRACKED_EVENTS)
                .description("Tracked events by result: accepted, late (accepted, older than the late horizon), "
                        + "duplicate (a messageId seen before, stored nowhere), rejected (refused requests)")
                .tag("result", "rejected")
                .register(registry);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                                        Exception ex) {
                if (isRejection(response.getStatus())) {
                    rejected.increment();
                }
            }
        }).addPathPatterns(PATHS);
    }

    /** Refused as invalid: a client error other than authentication, permission and rate limits. */
    static boolean isRejection(int status) {
        return status >= 400 && status < 500 && status != 401 && status != 403 && status != 429;
    }
}
