package io.herald.gateway.config;

import io.herald.eventstore.database.EmbeddedPostgresServer;
import com.zaxxer.hikari.HikariDataSource;
import io.herald.gateway.HeraldApplication;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** With no database configured Herald runs an embedded PostgreSQL that is durable and keeps its data. */
class EmbeddedDatabaseIT {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(HeraldApplication.class)
                .run("--server.port=0", "--herald.data-dir=" + dataDir, "--herald.database.url=",
                     "--spring.datasource.url=");
    }

    private static ApiClient api(ConfigurableApplicationContext context) {
        return TestAuth.asAdmin(new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort()));
    }

    @Test
    void embeddedDefault_isDurablePooledAndSurvivesARestart() {
        String id;
        try (ConfigurableApplicationContext first = start()) {
            assertThat(first.getBean(EmbeddedPostgresServer.class).dataDirectory())
                    .isEqualTo(dataDir.resolve("postgres").toAbsolutePath().normalize());
            assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION"))).isTrue();
            assertThat(first.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show full_page_writes", String.class)).isEqualTo("on");
            var created = api(first).post("/api/campaigns", CampaignApiITSupport.EMAIL_BODY);
            assertThat(created.status()).isEqualTo(201);
            id = created.json().get("id").asText();
        }
        try (ConfigurableApplicationContext second = start()) {
            var found = api(second).get("/api/campaigns/" + id);
            assertThat(found.status()).isEqualTo(200);
            assertThat(found.json().get("name").asText()).isEqualTo("Winter sale");
            assertThat(api(second).get("/api/campaigns/" + id + "/history").json().get("events").size()).isEqualTo(1);
        }
    }
}
