package io.herald.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU of this JVM by thread, from /proc/self/task: Java threads (request threads, processors, the load
 * generator) and the JVM's own (GC workers, JIT compilers) alike, which a ThreadMXBean cannot show. Threads are
 * grouped by their name with digits folded ({@code http-nio-auto-1-exec-7} and {@code -exec-9} are one group; Linux
 * keeps the first 15 characters of a name). A thread that ended between two snapshots is missing from the second and
 * its CPU is lost, so the sum can be a little below the process's.
 */
public final class ThreadCpu {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    /** Ticks and name per thread id at one instant. */
    public record Snapshot(Map<Long, Long> ticks, Map<Long, String> names) {
    }

    private ThreadCpu() {
    }

    public static Snapshot snapshot() {
        Map<Long, Long> ticks = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] fields = stat.substring(close + 2).split(" ");
                    // fields[0] is the state (stat field 3): utime and stime are stat fields 14 and 15
                    long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    long tid = Long.parseLong(task.getFileName().toString());
                    ticks.put(tid, used);
                    names.put(tid, stat.substring(open + 1, close));
                } catch (IOException | RuntimeException ended) {
                    // the thread ended while we read it
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to show
        }
        return new Snapshot(ticks, names);
    }

    /**
     * The busiest groups between two snapshots, as milliseconds of CPU per operation, most first; at most
     * {@code limit} groups, the rest summed as "others".
     */
    public static String perOperation(Snapshot before, Snapshot after, double operations, int limit) {
        if (operations <= 0 || after.ticks().isEmpty()) {
            return "";
        }
        Map<String, Long> groups = new HashMap<>();
        after.ticks().forEach((tid, used) -> {
            long delta = used - before.ticks().getOrDefault(tid, 0L);
            if (delta > 0) {
                groups.merge(group(after.names().get(tid)), delta, Long::sum);
            }
        });
        Map<String, Long> sorted = groups.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        StringBuilder out = new StringBuilder();
        long others = 0;
        int shown = 0;
        for (Map.Entry<String, Long> entry : sorted.entrySet()) {
            if (shown++ < limit) {
                out.append(String.format(Locale.ROOT, "%s%s %.3f", out.isEmpty() ? "" : ", ", entry.getKey(),
                                         msPerOperation(entry.getValue(), operations)));
            } else {
                others += entry.getValue();
            }
        }
        if (others > 0) {
            out.append(String.format(Locale.ROOT, ", others %.3f", msPerOperation(others, operations)));
        }
        return out.toString();
    }

    static String group(String name) {
        return name == null ? "?" : name.replaceAll("[0-9]+", "#");
    }

    private static double msPerOperation(long ticks, double operations) {
        return ticks / TICKS_PER_SECOND * 1000.0 / operations;
    }
}
