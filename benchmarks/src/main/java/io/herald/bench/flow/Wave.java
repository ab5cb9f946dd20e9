package io.herald.bench.flow;

import io.herald.bench.WebhookSink;

import java.util.ArrayList;
import java.util.List;

/**
 * Requests that arrived at a sink from the first to the last, e.g. one send node's webhooks (or several nodes'
 * together); their rate is counted over that span.
 */
record Wave(long requests, long firstNanos, long lastNanos) {

    /** The requests of the given paths together: from the first of them to the last. */
    static Wave of(WebhookSink sink, String... paths) {
        long requests = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (String path : paths) {
            WebhookSink.PathCounts at = sink.at(path);
            requests += at.requests();
            first = Math.min(first, at.firstNanos());
            last = Math.max(last, at.lastNanos());
        }
        return new Wave(requests, first, last);
    }

    double seconds() {
        return requests == 0 ? Double.NaN : (lastNanos - firstNanos) / 1e9;
    }

    /** Requests per second from the first to the last; NaN for fewer than two requests or no time between them. */
    double perSecond() {
        double seconds = seconds();
        return requests < 2 || !(seconds > 0) ? Double.NaN : requests / seconds;
    }

    /** Seconds during which this wave and a later one both received requests (0 when the later began after). */
    double overlapSeconds(Wave later) {
        if (requests == 0 || later.requests == 0) {
            return 0;
        }
        return Math.max(0, Math.min(lastNanos, later.lastNanos) - Math.max(firstNanos, later.firstNanos)) / 1e9;
    }

    /** p50, p95, p99 and max (nearest rank) of {@code values} in ms, with their number; "none" when empty. */
    static String percentiles(List<Double> values) {
        if (values.isEmpty()) {
            return "none";
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return String.format("p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (n=%,d)", rank(sorted, 0.50),
                             rank(sorted, 0.95), rank(sorted, 0.99), sorted.getLast(), sorted.size());
    }

    /** The nearest-rank percentile {@code p} (0–1] of sorted values: the smallest value with at least p of them at or below it. */
    static double rank(List<Double> sorted, double p) {
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)));
    }
}
