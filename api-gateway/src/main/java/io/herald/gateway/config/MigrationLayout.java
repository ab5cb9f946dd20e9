package io.herald.gateway.config;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Flyway finds Herald's migrations, and the check that each sits where it belongs (see
 * {@code package-info}). Refuses, naming the file or the setting:
 * <ul>
 *   <li>a file in {@code db/migration} that is not one of the migrations applied before modules had
 *       folders of their own ({@link #SHARED_MIGRATIONS}; new ones go to their module's folder),</li>
 *   <li>a versioned migration in a module's folder outside the module's range (its
 *       {@code flyway-range.properties}), and ranges that overlap,</li>
 *   <li>a module folder missing from {@code spring.flyway.locations} (its migrations would never run),
 *       and {@code spring.flyway.out-of-order} off (a module's new migration below another module's
 *       applied one would be refused).</li>
 * </ul>
 */
public final class MigrationLayout {

    /** The folder of the migrations applied before modules had folders of their own; no new files. */
    public static final String SHARED_LOCATION = "classpath:db/migration";

    /** Each module's folder: {@code db/<name>-migration}, with a {@code flyway-range.properties}. */
    public static final List<String> MODULE_LOCATIONS = List.of(
            "classpath:db/eventstore-migration",
            "classpath:db/identity-migration",
            "classpath:db/command-migration",
            "classpath:db/query-migration",
            "classpath:db/sagas-migration");

    /** What {@code spring.flyway.locations} lists (the benchmarks' Flyway too). */
    public static final List<String> LOCATIONS = concat(SHARED_LOCATION, MODULE_LOCATIONS);

    /**
     * The migrations applied before modules had folders of their own: they stay at these paths
     * ({@code db/migration/<name>}, whichever module's jar holds them) with their bytes unchanged, so
     * that Flyway finds each where the history says and with its recorded checksum.
     */
    public static final Set<String> SHARED_MIGRATIONS = Set.of(
            "V1__axon_infrastructure.sql", "V2__campaign_summary.sql", "V10__identity.sql",
            "V20__contacts.sql", "V21__tracking.sql", "V22__segments.sql", "V23__contact_imports.sql",
            "V24__tracked_event_by_event_id.sql", "V30__delivery.sql", "V31__unsubscribe_secret.sql",
            "V32__delivery_daily.sql", "V33__anonymous_ids.sql", "V34__contacts_imported_in_batches.sql");

    static final String RANGE_FILE = "flyway-range.properties";
    private static final Pattern VERSIONED = Pattern.compile("^V(\\d+)([._]\\d+)*__.+\\.sql$");
    private static final Pattern RANGE = Pattern.compile("^(\\d+)-(\\d+)$");

    private MigrationLayout() {
    }

    /** A module's folder and its versions, {@code from} to {@code to} inclusive. */
    record ModuleRange(String module, String location, int from, int to) {

        boolean overlaps(ModuleRange other) {
            return from <= other.to && other.from <= to;
        }
    }

    /** Checks the classpath against the settings Flyway is about to run with. */
    public static void check(ClassLoader classLoader, Collection<String> configuredLocations, boolean outOfOrder) {
        check(new PathMatchingResourcePatternResolver(classLoader), configuredLocations, outOfOrder);
    }

    static void check(ResourcePatternResolver resources, Collection<String> configuredLocations, boolean outOfOrder) {
        List<String> problems = new ArrayList<>();
        if (!outOfOrder) {
            problems.add("spring.flyway.out-of-order must be true: each module numbers its migrations in its own "
                                 + "range, so a module's new migration may come below one another module applied");
        }
        for (String location : LOCATIONS) {
            if (!configuredLocations.contains(location)) {
                problems.add("spring.flyway.locations must list " + location + " (it lists " + configuredLocations
                                     + "): its migrations would never run");
            }
        }
        for (String file : files(resources, SHARED_LOCATION)) {
            String name = file.substring(file.lastIndexOf('/') + 1);
            if (!file.equals("db/migration/" + name) || !SHARED_MIGRATIONS.contains(name)) {
                problems.add(file + ": db/migration holds only the migrations applied before modules had folders "
                                     + "of their own; a new migration goes to its module's db/<module>-migration "
                                     + "folder, numbered in the module's range");
            }
        }
        List<ModuleRange> ranges = new ArrayList<>();
        for (String location : MODULE_LOCATIONS) {
            ModuleRange range = range(resources, location, problems);
            if (range == null) {
                continue;
            }
            for (ModuleRange other : ranges) {
                if (range.overlaps(other)) {
                    problems.add("the migration ranges of " + other.module() + " (" + other.from() + "-" + other.to()
                                         + ") and " + range.module() + " (" + range.from() + "-" + range.to() + ") overlap");
                }
            }
            ranges.add(range);
            for (String file : files(resources, location)) {
                Matcher versioned = VERSIONED.matcher(file.substring(file.lastIndexOf('/') + 1));
                if (!versioned.matches()) {
                    continue; // repeatable migrations have no version; other files Flyway does not run
                }
                long version = Long.parseLong(versioned.group(1));
                if (version < range.from() || version > range.to()) {
                    problems.add(file + ": version " + version + " is outside the " + range.module()
                                         + " module's range " + range.from() + "-" + range.to());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Herald's Flyway migrations are misplaced (README, \"Migrations\"):\n  - "
                                                    + String.join("\n  - ", problems));
        }
    }

    private static ModuleRange range(ResourcePatternResolver resources, String location, List<String> problems) {
        String path = location.substring("classpath:".length()) + "/" + RANGE_FILE;
        Resource[] found = resolve(resources, "classpath*:" + path);
        if (found.length != 1) {
            problems.add(path + ": expected once on the classpath, found " + found.length + " times");
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = found[0].getInputStream()) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + path, e);
        }
        String module = properties.getProperty("module", location);
        Matcher range = RANGE.matcher(properties.getProperty("versions", "").strip());
        if (!range.matches() || Long.parseLong(range.group(1)) > Long.parseLong(range.group(2))) {
            problems.add(path + ": versions must be <from>-<to>, e.g. 1000-1999 (it is \""
                                 + properties.getProperty("versions", "") + "\")");
            return null;
        }
        return new ModuleRange(module, location, Integer.parseInt(range.group(1)), Integer.parseInt(range.group(2)));
    }

    /** The SQL files under a location, subfolders included (Flyway looks there too), as classpath paths. */
    private static List<String> files(ResourcePatternResolver resources, String location) {
        String root = location.substring("classpath:".length()) + "/";
        TreeMap<String, Resource> byPath = new TreeMap<>();
        for (Resource resource : resolve(resources, "classpath*:" + root + "**/*.sql")) {
            String url;
            try {
                url = resource.getURL().toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int at = url.lastIndexOf("/" + root);
            byPath.put(at >= 0 ? url.substring(at + 1) : root + resource.getFilename(), resource);
        }
        return List.copyOf(byPath.keySet());
    }

    private static Resource[] resolve(ResourcePatternResolver resources, String pattern) {
        try {
            return resources.getResources(pattern);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not look for " + pattern, e);
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return List.copyOf(all);
    }
}
