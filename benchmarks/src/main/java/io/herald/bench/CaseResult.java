package io.herald.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * All runs of one case (scenario × engine × clients). Throughput is reported as the median over
 * runs with the min–max beside it; latency percentiles are the median over runs of each run's
 * percentile; CPU and PostgreSQL counters likewise.
 *
 * @param opsPerCall rows per call for the batched baseline (throughput counts rows), else 1
 */
record CaseResult(String scenario, String engine, int clients, String unit, int opsPerCall,
                  List<LoadDriver.Run> runs, List<ResourceSampler.Usage> usages, String note) {

    double medianThroughput() {
        return median(runs, r -> r.opsPerSecond() * opsPerCall);
    }

    double minThroughput() {
        return runs.stream().mapToDouble(r -> r.opsPerSecond() * opsPerCall).min().orElse(Double.NaN);
    }

    double maxThroughput() {
        return runs.stream().mapToDouble(r -> r.opsPerSecond() * opsPerCall).max().orElse(Double.NaN);
    }

    /** Median over runs of the given latency percentile, in milliseconds. */
    double latencyMillis(double percentile) {
        return median(runs, r -> r.latencyMicros().getTotalCount() == 0 ? Double.NaN
                : r.latencyMicros().getValueAtPercentile(percentile) / 1000.0);
    }

    double meanLatencyMillis() {
        return median(runs, r -> r.latencyMicros().getTotalCount() == 0 ? Double.NaN
                : r.latencyMicros().getMean() / 1000.0);
    }

    long errors() {
        return runs.stream().mapToLong(LoadDriver.Run::errors).sum();
    }

    String firstError() {
        return runs.stream().map(LoadDriver.Run::firstError).filter(e -> e != null).findFirst().orElse(null);
    }

    double usage(ToDoubleFunction<ResourceSampler.Usage> field) {
        return median(usages, field);
    }

    /** Commits per call (per command, per request, per batch). */
    double commitsPerCall() {
        return perCall(ResourceSampler.Usage::commitsPerSecond);
    }

    /** A per-second usage figure divided by the calls per second of the same run; median over runs. */
    double perCall(ToDoubleFunction<ResourceSampler.Usage> perSecond) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < runs.size() && i < usages.size(); i++) {
            double calls = runs.get(i).opsPerSecond();
            values.add(calls > 0 ? perSecond.applyAsDouble(usages.get(i)) / calls : Double.NaN);
        }
        return median(values, Double::doubleValue);
    }

    static <T> double median(List<T> items, ToDoubleFunction<T> value) {
        double[] v = items.stream().mapToDouble(value).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static String resultsTable(List<CaseResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | engine | clients | median | min–max | mean ms | p50 ms | p99 ms | p99.9 ms | errors |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CaseResult r : results) {
            sb.append("| ").append(r.scenario())
              .append(" | ").append(r.engine())
              .append(" | ").append(r.clients())
              .append(" | ").append(fmt0(r.medianThroughput())).append(' ').append(r.unit())
              .append(" | ").append(fmt0(r.minThroughput())).append("–").append(fmt0(r.maxThroughput()))
              .append(" | ").append(fmt2(r.meanLatencyMillis()))
              .append(" | ").append(fmt2(r.latencyMillis(50)))
              .append(" | ").append(fmt2(r.latencyMillis(99)))
              .append(" | ").append(fmt2(r.latencyMillis(99.9)))
              .append(" | ").append(r.errors())
              .append(" |\n");
        }
        return sb.toString();
    }

    static String resourceTable(List<CaseResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | engine | clients | machine CPU | this JVM | of it client threads | PostgreSQL "
                          + "| other processes | JVM CPU ms per call | PostgreSQL CPU ms per call | commits/s "
                          + "| commits per call | token_entry writes per call | WAL syncs/s |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CaseResult r : results) {
            sb.append("| ").append(r.scenario())
              .append(" | ").append(r.engine())
              .append(" | ").append(r.clients())
              .append(" | ").append(fmt2(r.usage(ResourceSampler.Usage::machineCores)))
              .append(" | ").append(fmt2(r.usage(ResourceSampler.Usage::jvmCores)))
              .append(" | ").append(fmt2(r.usage(ResourceSampler.Usage::clientCores)))
              .append(" | ").append(fmt2(r.usage(ResourceSampler.Usage::postgresCores)))
              .append(" | ").append(fmt2(r.usage(ResourceSampler.Usage::otherCores)))
              .append(" | ").append(fmt2(r.perCall(ResourceSampler.Usage::jvmCores) * 1000))
              .append(" | ").append(fmt2(r.perCall(ResourceSampler.Usage::postgresCores) * 1000))
              .append(" | ").append(fmt0(r.usage(ResourceSampler.Usage::commitsPerSecond)))
              .append(" | ").append(fmt2(r.commitsPerCall()))
              .append(" | ").append(fmt2(r.perCall(ResourceSampler.Usage::tokenWritesPerSecond)))
              .append(" | ").append(fmt0(r.usage(ResourceSampler.Usage::walSyncsPerSecond)))
              .append(" |\n");
        }
        return sb.toString();
    }

    static String runsLine(CaseResult r) {
        return Arrays.toString(r.runs().stream().mapToDouble(x -> Math.round(x.opsPerSecond() * r.opsPerCall()))
                                        .toArray());
    }

    static String fmt0(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String fmt2(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}
