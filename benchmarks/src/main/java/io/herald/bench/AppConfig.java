package io.herald.bench;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The application's own application.yml, read so the benchmark's overrides follow it instead of
 * copying it: the list of excluded auto-configurations (the JPA run removes only Axon's two JPA
 * ones from it) and the rate-limit groups (re-declared with limits no benchmark reaches, so the
 * rate-limit filter still runs but never answers 429 to a load that is one principal by design).
 */
final class AppConfig {

    static final List<String> AXON_JPA_AUTO_CONFIGURATIONS = List.of(
            "org.axonframework.springboot.autoconfig.JpaAutoConfiguration",
            "org.axonframework.springboot.autoconfig.JpaEventStoreAutoConfiguration");
    static final long UNREACHABLE_LIMIT = 1_000_000_000L;

    private static final Pattern EXCLUDE = Pattern.compile("spring\\.autoconfigure\\.exclude\\[\\d+]");
    private static final Pattern RATE_GROUP = Pattern.compile("herald\\.rate-limits\\.groups\\[\\d+]\\..*");

    private final TreeMap<String, String> properties = new TreeMap<>();

    private AppConfig() {
    }

    static AppConfig load() {
        AppConfig config = new AppConfig();
        ClassPathResource yml = new ClassPathResource("application.yml");
        if (!yml.exists()) {
            return config;
        }
        try {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load("herald", yml)) {
                if (source instanceof EnumerablePropertySource<?> enumerable) {
                    for (String name : enumerable.getPropertyNames()) {
                        Object value = enumerable.getProperty(name);
                        config.properties.putIfAbsent(name, value == null ? "" : value.toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the application's application.yml", e);
        }
        return config;
    }

    /** spring.autoconfigure.exclude as the application declares it, in order. */
    List<String> excludedAutoConfigurations() {
        List<String> result = new ArrayList<>();
        properties.forEach((name, value) -> {
            if (EXCLUDE.matcher(name).matches()) {
                result.add(value);
            }
        });
        // TreeMap orders [10] before [2]; the order does not matter for an exclusion list
        return result;
    }

    /** Arguments that keep the application's exclusions except Axon's JPA auto-configurations. */
    List<String> jpaExcludeArguments() {
        List<String> kept = new ArrayList<>(excludedAutoConfigurations());
        kept.removeAll(AXON_JPA_AUTO_CONFIGURATIONS);
        if (kept.isEmpty()) {
            kept.add("org.axonframework.springboot.autoconfig.UpdateCheckerAutoConfiguration");
        }
        return List.of("--spring.autoconfigure.exclude=" + String.join(",", kept));
    }

    /** The rate-limit groups again, every limit raised out of reach (empty when there are none). */
    List<String> unreachableRateLimitArguments() {
        List<String> args = new ArrayList<>();
        properties.forEach((name, value) -> {
            if (RATE_GROUP.matcher(name).matches()) {
                args.add("--" + name + "=" + (name.endsWith(".limit") ? Long.toString(UNREACHABLE_LIMIT) : value));
            }
        });
        return args;
    }
}
