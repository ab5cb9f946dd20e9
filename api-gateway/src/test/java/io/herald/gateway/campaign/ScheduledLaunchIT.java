package io.herald.gateway.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import io.herald.eventstore.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The launch deadline is persistent: it survives a stop of the only instance, and is replaced or cancelled. */
class ScheduledLaunchIT {

    /** Campaign deadlines in db-scheduler's table (not the recurring housekeeping tasks: instance 'recurring'). */
    private static final String DEADLINE_ROWS = "scheduled_tasks where task_instance <> 'recurring'";
    private static final String DEADLINES = "select count(*) from " + DEADLINE_ROWS;

    private static String createAndSchedule(ApiClient api, Instant sendAt) {
        String id = api.post("/api/campaigns", CampaignApiITSupport.emailBody(api)).json().get("id").asText();
        var scheduled = api.post("/api/campaigns/" + id + "/schedule",
                                 "{\"sendAt\":\"" + sendAt + "\",\"timeZone\":\"Europe/Paris\"}");
        assertThat(scheduled.status()).as(scheduled.toString()).isEqualTo(200);
        return id;
    }

    @Test
    void scheduledCampaign_launchesAfterRestart_whenTheAppWasDownAtItsTime() {
        String database = TestDatabases.newDatabase();
        String id;
        Instant sendAt;
        try (HeraldInstance first = HeraldInstance.start(database)) {
            ApiClient api = TestAuth.asAdmin(first.api());
            // a few seconds ahead of now, taken once the instance is up (start-up time varies with load)
            sendAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            id = createAndSchedule(api, sendAt);
            assertThat(api.get("/api/campaigns/" + id).json().get("status").asText()).isEqualTo("SCHEDULED");
        }
        // the app is down when the time comes
        Instant due = sendAt;
        await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().isAfter(due.plusSeconds(1)));
        try (HeraldInstance second = HeraldInstance.start(database)) {
            ApiClient api = TestAuth.asAdmin(second.api());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(api.get("/api/campaigns/" + id).json().get("status").asText()).isIn("RUNNING", "COMPLETED"));
            JsonNode events = api.get("/api/campaigns/" + id + "/history").json().get("events");
            // the launch, then (with an empty audience) the send's own events
            JsonNode launched = events.get(2);
            assertThat(launched.get("type").asText()).isEqualTo("CampaignLaunched");
            assertThat(launched.get("payload").get("trigger").asText()).isEqualTo("SCHEDULE");
            assertThat(launched.get("actor").asText()).isEqualTo("system:scheduler");
            assertThat(launched.get("correlationId").asText()).isEqualTo(events.get(1).get("correlationId").asText());
            assertThat(second.bean(JdbcTemplate.class).queryForObject(DEADLINES,
                                                                       Integer.class)).isZero();
        }
    }

    @Test
    void reschedulingReplacesTheDeadline_andCancellingRemovesIt() {
        try (HeraldInstance herald = HeraldInstance.start(TestDatabases.newDatabase())) {
            ApiClient api = TestAuth.asAdmin(herald.api());
            JdbcTemplate jdbc = herald.bean(JdbcTemplate.class);
            Instant first = Instant.now().plusSeconds(5);
            String id = createAndSchedule(api, first);
            // (if the machine is so slow that the first time already passed, the campaign launches and the
            // reschedule below is refused with 409: the assertion on its response says so)
            assertThat(jdbc.queryForObject(DEADLINES, Integer.class)).isEqualTo(1);

            Instant later = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
            var rescheduled = api.post("/api/campaigns/" + id + "/schedule",
                                       "{\"sendAt\":\"" + later + "\",\"timeZone\":\"Europe/Paris\"}");
            assertThat(rescheduled.json().get("sendAt").asText()).isEqualTo(later.toString());
            assertThat(jdbc.queryForObject(DEADLINES, Integer.class)).isEqualTo(1);
            assertThat(jdbc.queryForObject("select execution_time from " + DEADLINE_ROWS,
                                           java.sql.Timestamp.class)
                               .toInstant()).isEqualTo(later);

            // the first time passes: nothing launches
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(api.get("/api/campaigns/" + id).json().get("status").asText()).isEqualTo("SCHEDULED"));

            assertThat(api.post("/api/campaigns/" + id + "/cancel", null).status()).isEqualTo(200);
            assertThat(jdbc.queryForObject(DEADLINES, Integer.class)).isZero();
            JsonNode history = api.get("/api/campaigns/" + id + "/history").json().get("events");
            assertThat(history.get(2).get("payload").get("previousSendAt").asText()).isEqualTo(first.toString());
        }
    }
}
