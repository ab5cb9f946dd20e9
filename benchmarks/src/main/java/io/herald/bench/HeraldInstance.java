package io.herald.bench;

import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.Channel;
import io.herald.api.campaign.CreateCampaignCommand;
import io.herald.bench.jpa.JpaEngineConfiguration;
import io.herald.eventstore.LateAppendStorageEngine;
import io.herald.gateway.HeraldApplication;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Herald booted in this JVM on one storage engine, against one fresh database. */
final class HeraldInstance implements AutoCloseable {

    private final String engine;
    private final ConfigurableApplicationContext context;
    private final CommandGateway commandGateway;
    private final DataSource dataSource;
    private final int port;
    private String authorization;
    private boolean signedIn;

    private HeraldInstance(String engine, ConfigurableApplicationContext context) {
        this.engine = engine;
        this.context = context;
        this.commandGateway = context.getBean(CommandGateway.class);
        this.dataSource = context.getBean(DataSource.class);
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static HeraldInstance boot(String engine, PostgresServer server, String database, BenchOptions options)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--herald.database.url=" + server.url(database),
                "--herald.database.username=" + server.user(),
                "--herald.data-dir=" + Files.createTempDirectory("herald-bench-data"),
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--logging.level.io.herald=WARN"));
        if (server.password() != null && !server.password().isEmpty()) {
            args.add("--herald.database.password=" + server.password());
        }
        if (options.poolSize() != null) {
            args.add("--spring.datasource.hikari.maximum-pool-size=" + options.poolSize());
        }
        AppConfig appConfig = AppConfig.load();
        // one principal sends every request here: the per-principal write limit (e.g. 1,200/min)
        // would cap the benchmark, so the groups are re-declared out of reach (the filter still runs)
        args.addAll(appConfig.unreachableRateLimitArguments());
        for (String property : options.appProperties()) {
            args.add("--" + property);
        }
        List<Class<?>> sources = new ArrayList<>(List.of(HeraldApplication.class, EchoEndpoint.class));
        if (engine.equals("jpa")) {
            sources.add(JpaEngineConfiguration.class);
            args.addAll(JpaEngineConfiguration.arguments(appConfig.jpaExcludeArguments()));
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                .web(WebApplicationType.SERVLET)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .run(args.toArray(String[]::new));
        return new HeraldInstance(engine, context);
    }

    String engine() {
        return engine;
    }

    /** The Authorization header for HTTP requests (null when the API needs none); signs in once. */
    synchronized String authorization() throws Exception {
        if (!signedIn) {
            authorization = HttpAuth.obtain(port);
            signedIn = true;
        }
        return authorization;
    }

    int port() {
        return port;
    }

    /** The beans that decide where events and tokens go, to prove which engine ran. */
    String storageDescription() {
        EventStorageEngine storage = context.getBean(EventStorageEngine.class);
        if (storage instanceof LateAppendStorageEngine late) {
            storage = late.delegate();
        }
        TokenStore tokens = context.getBean(TokenStore.class);
        return "EventStorageEngine=" + storage.getClass().getName() + ", TokenStore=" + tokens.getClass().getName();
    }

    String poolSize() {
        return context.getEnvironment().getProperty("spring.datasource.hikari.maximum-pool-size", "?");
    }

    /** Create-campaign commands through the CommandGateway, waiting for each (the version it returns). */
    LoadDriver.ClientFactory gatewayClients() {
        return index -> sequence -> {
            commandGateway.sendAndWait(new CreateCampaignCommand(UUID.randomUUID().toString(),
                    new CampaignDefinition("bench-" + sequence, Channel.EMAIL,
                                           CampaignContent.email("Hi", "Sale", null), null, null)));
            return true;
        };
    }

    /** Waits until the campaign-summary projection has every created campaign; returns how long that took. */
    Duration awaitProjection(Duration max) throws Exception {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        while (true) {
            long[] counts = counts();
            if (counts[1] >= counts[0]) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("campaign_summary has " + counts[1] + " of " + counts[0]
                                                        + " campaigns after " + max);
            }
            Thread.sleep(50);
        }
    }

    /** [created events, campaign_summary rows]. */
    long[] counts() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select (select count(*) from domain_event_entry where payload_type = "
                                                    + "'io.herald.api.campaign.CampaignCreatedEvent'), "
                                                    + "(select count(*) from campaign_summary)")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2)};
        }
    }

    /** What the run left in the database: events, read model rows, tokens, payload sizes. */
    String verification() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            StringBuilder sb = new StringBuilder();
            try (ResultSet rs = st.executeQuery("select count(*), min(global_index), max(global_index), "
                                                        + "round(avg(octet_length(payload))), "
                                                        + "round(avg(octet_length(meta_data))) from domain_event_entry")) {
                rs.next();
                sb.append("domain_event_entry: ").append(rs.getLong(1)).append(" rows, global_index ")
                  .append(rs.getLong(2)).append("..").append(rs.getLong(3))
                  .append(", avg payload ").append(rs.getLong(4)).append(" B, avg meta_data ")
                  .append(rs.getLong(5)).append(" B");
            }
            try (ResultSet rs = st.executeQuery("select count(*) from campaign_summary")) {
                rs.next();
                sb.append("; campaign_summary: ").append(rs.getLong(1)).append(" rows");
            }
            try (ResultSet rs = st.executeQuery("select processor_name, count(*), count(token) from token_entry "
                                                        + "group by processor_name order by 1")) {
                sb.append("; token_entry:");
                while (rs.next()) {
                    sb.append(' ').append(rs.getString(1)).append(" (").append(rs.getLong(2))
                      .append(" segments, ").append(rs.getLong(3)).append(" with a token)");
                }
            }
            return sb.toString();
        }
    }

    /** Up to {@code limit} campaign ids from the read model, for the GET scenario. */
    List<String> campaignIds(int limit) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from campaign_summary limit " + limit)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    @Override
    public void close() {
        context.close();
    }
}
