package io.herald.gateway.delivery;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.eventstore.support.TestDatabases;
import io.herald.gateway.campaign.CampaignApiITSupport;
import io.herald.gateway.contact.Multipart;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.HeraldInstance;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No personal data in the log at INFO and above (issue "Observability"): contacts' e-mail addresses and
 * phone numbers go through identity (a failed sign-in), the contacts API (a create, a conflict, a refused
 * value), an import (good and bad rows), tracking and the three channels' sends (a webhook refused, e-mail
 * and SMS sent), and none of them may appear in what Herald logs meanwhile.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataInLogsIT {

    @Test
    void importTrackingDeliveryAndIdentity_logNoEmailAddressOrPhoneNumber(CapturedOutput output) throws Exception {
        String k = UUID.randomUUID().toString().substring(0, 8);
        List<String> personal = new ArrayList<>();
        try (WebhookSink sink = new WebhookSink()) {
            GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
            try (HeraldInstance herald = HeraldInstance.start(TestDatabases.newDatabase(),
                                                              "herald.delivery.allow-private-targets=true",
                                                              "herald.delivery.retry.max-attempts=1",
                                                              "herald.delivery.worker.poll-interval=100ms",
                                                              "herald.delivery.sms.base-url=" + sink.url("/sms"),
                                                              "herald.delivery.sms.account-sid=AC123",
                                                              "herald.delivery.sms.auth-token=token",
                                                              "herald.delivery.sms.from=+15550001111",
                                                              "spring.mail.host=127.0.0.1",
                                                              "spring.mail.port=" + mail.getSmtp().getPort(),
                                                              "logging.level.io.herald=INFO")) {
                ApiClient anonymous = herald.api();
                String token = TestAuth.admin(anonymous);
                ApiClient api = TestAuth.asAdmin(anonymous);
                String audience = "pii-" + k;

                // identity: a sign-in for an unknown address and one with a wrong password
                String stranger = "stranger-" + k + "@example.com";
                personal.add(stranger);
                assertThat(anonymous.post("/api/auth/login", "{\"email\":\"" + stranger + "\",\"password\":\"nope nope nope\"}")
                                   .status()).isEqualTo(401);
                assertThat(anonymous.post("/api/auth/login", "{\"email\":\"" + TestAuth.ADMIN_EMAIL
                        + "\",\"password\":\"wrong password 1234\"}").status()).isEqualTo(401);

                // contacts: created, one conflicting, one refused
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String email = "person" + i + "-" + k + "@example.com";
                    String phone = "+3361234" + String.format("%04d", i);
                    personal.add(email);
                    personal.add(phone);
                    var created = api.post("/api/contacts", "{\"email\":\"" + email + "\",\"phone\":\"" + phone
                            + "\",\"attributes\":{\"audience\":\"" + audience + "\",\"first_name\":\"P" + i + "\"}}");
                    assertThat(created.status()).as(created.toString()).isEqualTo(201);
                    ids.add(created.json().get("id").asText());
                }
                assertThat(api.post("/api/contacts", "{\"email\":\"person0-" + k + "@example.com\"}").status())
                        .isIn(200, 409);
                String refused = "not-an-address-" + k;
                personal.add(refused);
                assertThat(api.post("/api/contacts", "{\"email\":\"" + refused + "\"}").status()).isEqualTo(400);

                // an import with good and bad rows
                String imported = "imported-" + k + "@example.com";
                String importedPhone = "+14155550" + k.replaceAll("[^0-9]", "0").substring(0, 3);
                String badRow = "bad-row-" + k;
                personal.addAll(List.of(imported, importedPhone, badRow));
                String csv = "Email,Phone,Audience\n" + imported + "," + importedPhone + "," + audience + "\n"
                        + badRow + ",,x\n";
                HttpResponse<String> started = Multipart.postImport(herald.port(), token,
                        csv.getBytes(StandardCharsets.UTF_8),
                        "{\"email\":\"Email\",\"phone\":\"Phone\",\"attributes\":[{\"column\":\"Audience\",\"name\":\"audience\"}]}",
                        null);
                assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                String importId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(started.body()).get("id").asText();
                await().atMost(Duration.ofSeconds(60)).until(() -> !"RUNNING".equals(
                        api.get("/api/contacts/imports/" + importId).json().get("state").asText()));

                // tracking: an e-mail address in the event's properties
                String tracked = "tracked-" + k + "@example.com";
                personal.add(tracked);
                var track = api.post("/api/track", "{\"userId\":\"u-" + k + "\",\"event\":\"Signed Up\","
                        + "\"properties\":{\"email\":\"" + tracked + "\"}}");
                assertThat(track.status()).as(track.toString()).isEqualTo(200);

                // the three channels: a webhook the receiver refuses, e-mail and SMS sent
                sink.status = (key, seen) -> 422;
                String segment = CampaignApiITSupport.segment(api, audience);
                for (String[] channel : new String[][] {
                        {"WEBHOOK", "{\"url\":\"" + sink.url("/hooks/" + k) + "\",\"payload\":\"{\\\"email\\\":\\\"{{ email }}\\\"}\"}"},
                        {"EMAIL", "{\"subject\":\"Hi {{ first_name }}\",\"body\":\"For {{ email }}\"}"},
                        {"SMS", "{\"body\":\"Hi {{ first_name }}\"}"}}) {
                    var campaign = api.post("/api/campaigns", "{\"name\":\"PII " + channel[0] + " " + k + "\",\"channel\":\""
                            + channel[0] + "\",\"content\":" + channel[1] + ",\"segmentId\":\"" + segment + "\"}");
                    assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
                    String id = campaign.json().get("id").asText();
                    assertThat(api.post("/api/campaigns/" + id + "/launch", null).status()).isEqualTo(200);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                            "COMPLETED".equals(api.get("/api/campaigns/" + id).json().get("status").asText()));
                }
                assertThat(mail.getReceivedMessages()).isNotEmpty();
            } finally {
                mail.stop();
            }
        }
        // Herald's lines only: GreenMail, the test's SMTP server, logs each mailbox it creates
        String log = (output.getOut() + output.getErr()).lines()
                .filter(line -> !line.toLowerCase(Locale.ROOT).contains("greenmail"))
                .collect(java.util.stream.Collectors.joining("\n")).toLowerCase(Locale.ROOT);
        // Herald's INFO lines were captured (the sends' own), so silence is not mistaken for a clean log
        assertThat(log).as("the captured log").contains("audience frozen");
        for (String value : personal) {
            assertThat(log).as("the log names " + value).doesNotContain(value.toLowerCase(Locale.ROOT));
            String digits = value.replaceAll("[^0-9]", "");
            if (value.startsWith("+") && digits.length() >= 8) {
                assertThat(log).as("the log names the number " + value).doesNotContain(digits);
            }
        }
    }
}
