package io.herald.gateway.support;

import io.herald.gateway.HeraldApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/** A whole Herald instance started in this JVM on its own port, for restart and multi-instance tests. */
public final class HeraldInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private HeraldInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static HeraldInstance start(String databaseUrl, String... extraProperties) {
        return start(databaseUrl, new Class<?>[0], extraProperties);
    }

    /** An instance with test-only beans of its own ({@code extraSources}: classes of {@code @Bean} methods). */
    public static HeraldInstance start(String databaseUrl, Class<?>[] extraSources, String... extraProperties) {
        List<String> args = new ArrayList<>();
        args.add("--herald.database.url=" + databaseUrl);
        args.add("--server.port=0");
        boolean rateLimitsGiven = false;
        for (String property : extraProperties) {
            args.add("--" + property);
            rateLimitsGiven |= property.startsWith("herald.rate-limits.enabled");
        }
        if (!rateLimitsGiven) {
            args.add("--herald.rate-limits.enabled=false");
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(HeraldApplication.class)
                .sources(extraSources)
                .run(args.toArray(String[]::new));
        return new HeraldInstance(context);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The management port (the actuator: {@code /actuator/prometheus}), random like {@link #port()}. */
    public int managementPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
    }

    public ApiClient api() {
        return new ApiClient(port());
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The beans of a type, by name (none: empty). */
    public <T> java.util.Map<String, T> beans(Class<T> type) {
        return context.getBeansOfType(type);
    }

    public String property(String name) {
        return context.getEnvironment().getProperty(name);
    }

    @Override
    public void close() {
        context.close();
    }
}
