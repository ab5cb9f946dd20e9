package io.herald.gateway.contact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ContactImportIT extends IntegrationTest {

    static final String MAPPING = """
            {"email":"Email","externalId":"User ID","phone":"Phone","attributes":[
              {"column":"Plan","name":"plan"},{"column":"Age","name":"age","type":"NUMBER"},
              {"column":"Signup","name":"signup","type":"DATE"},{"column":"Tags","name":"tags","type":"LIST"},
              {"column":"VIP","name":"vip","type":"BOOLEAN"}]}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    ApiClient api;
    String token;

    @BeforeEach
    void setUp() {
        ApiClient anonymous = new ApiClient(port);
        token = TestAuth.admin(anonymous);
        api = TestAuth.asAdmin(anonymous);
    }

    static JsonNode awaitFinished(ApiClient api, String importId) {
        JsonNode[] view = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Response response = api.get("/api/contacts/imports/" + importId);
            view[0] = response.json();
            return response.status() == 200 && !"RUNNING".equals(view[0].get("state").asText());
        });
        return view[0];
    }

    /** Posts an import, expects it accepted, and waits until it has finished. */
    private JsonNode importAndAwait(String csv, String mapping, String mode) throws Exception {
        HttpResponse<String> started = Multipart.postImport(port, token, csv.getBytes(StandardCharsets.UTF_8), mapping,
                                                            mode);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return awaitFinished(api, JSON.readTree(started.body()).get("id").asText());
    }

    @Test
    void upsertImport_storesGoodRows_rejectsBadOnesWithRowAndReason_andUpdatesExistingContacts() throws Exception {
        String k = UUID.randomUUID().toString().substring(0, 8);
        Response existing = api.post("/api/contacts", "{\"email\":\"old-%s@example.com\",\"attributes\":{\"kept\":true}}"
                .formatted(k));
        String existingId = existing.json().get("id").asText();
        String csv = "\uFEFFEmail,User ID,Phone,Plan,Age,Signup,Tags,VIP,Ignored\n"
                + "ada-%1$s@example.com,u1-%1$s,+33612345678,pro,42,2024-05-01,a|b,yes,x\n"          // row 2
                + "not-an-email,u2-%1$s,,free,1,,,,\n"                                               // 3: bad email
                + "bob-%1$s@example.com,u3-%1$s,,free,forty,,,,\n"                                   // 4: bad number
                + "OLD-%1$s@example.com,,,gold,7,,,no,\n"                                            // 5: updates existing
                + "\"carl-%1$s@example.com\",u4-%1$s,,\"pro, annual\",3.5,2024-06-01T10:00:00+02:00,,,\"multi\nline\"\n" // 6
                + "ada-%1$s@example.com,u1-%1$s,,platinum,,,,,\n"                                   // 7: same contact again
                + "short-%1$s@example.com,u5-%1$s\n"                                                  // 8: wrong cell count
                + ",,,,,,,,\n"                                                                      // 9: no identity
                + "dee-%1$s@example.com,,+1 415 555 0100,,,,,maybe,\n"                               // 10: bad boolean
                + "eve-%1$s@example.com,,,,,,,,\n";                                                 // 11
        HttpResponse<String> started = Multipart.postImport(port, token, csv.formatted(k).getBytes(StandardCharsets.UTF_8),
                                                            MAPPING, "UPSERT");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode startView = JSON.readTree(started.body());
        String importId = startView.get("id").asText();
        assertThat(started.headers().firstValue("Location")).contains("/api/contacts/imports/" + importId);

        JsonNode done = awaitFinished(api, importId);
        assertThat(done.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(done.get("rowsRead").asLong()).isEqualTo(10);
        assertThat(done.get("created").asLong()).isEqualTo(3);   // ada, carl, eve
        assertThat(done.get("updated").asLong()).isEqualTo(2);   // old (existing), ada again
        assertThat(done.get("rejected").asLong()).isEqualTo(5);
        Map<Long, String> rejected = new java.util.TreeMap<>();
        done.get("rejectedRows").forEach(r -> rejected.put(r.get("rowNumber").asLong(), r.get("code").asText()));
        assertThat(rejected).containsExactly(
                Map.entry(3L, "contact.email.invalid"), Map.entry(4L, "import.row.invalid-number"),
                Map.entry(8L, "import.row.column-count"), Map.entry(9L, "import.row.identity-missing"),
                Map.entry(10L, "import.row.invalid-boolean"));

        JsonNode ada = api.get("/api/contacts?externalId=u1-" + k).json().get("items").get(0);
        assertThat(ada.get("email").asText()).isEqualTo("ada-" + k + "@example.com");
        assertThat(ada.get("phone").asText()).isEqualTo("+33612345678");
        assertThat(ada.get("attributes").get("plan").asText()).isEqualTo("platinum");
        assertThat(ada.get("attributes").get("age").asInt()).isEqualTo(42);
        assertThat(ada.get("attributes").get("vip").asBoolean()).isTrue();
        assertThat(ada.get("attributes").get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(ada.get("attributes").get("signup").asText()).isEqualTo("2024-05-01");
        JsonNode carl = api.get("/api/contacts?externalId=u4-" + k).json().get("items").get(0);
        assertThat(carl.get("attributes").get("plan").asText()).isEqualTo("pro, annual");
        assertThat(carl.get("attributes").get("signup").asText()).isEqualTo("2024-06-01T08:00:00.000Z");
        JsonNode old = api.get("/api/contacts/" + existingId).json();
        assertThat(old.get("attributes").get("plan").asText()).isEqualTo("gold");
        assertThat(old.get("attributes").get("kept").asBoolean()).isTrue();
        assertThat(old.get("attributes").get("vip").asBoolean()).isFalse();
        // the contact's history names the import
        JsonNode timeline = api.get("/api/contacts/" + existingId + "/timeline").json().get("entries");
        assertThat(timeline.get(timeline.size() - 1).get("payload").get("source").asText()).isEqualTo("import:" + importId);

        Response download = api.get("/api/contacts/imports/" + importId + "/rejections.csv");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("Content-Type")).startsWith("text/csv");
        String[] lines = download.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("row,code,reason");
        assertThat(lines).hasSize(6);
        assertThat(lines[1]).startsWith("3,contact.email.invalid,");
    }

    @Test
    void importedContacts_areOneEventPerBatch_andLoadChangeAndShowTheirCreationLikeAnyOther() throws Exception {
        String k = UUID.randomUUID().toString().substring(0, 8);
        String mapping = "{\"email\":\"Email\",\"externalId\":\"User ID\","
                + "\"attributes\":[{\"column\":\"Plan\",\"name\":\"plan\"}]}";
        JsonNode first = importAndAwait("Email,User ID,Plan\nann-%1$s@example.com,a-%1$s,free\nben-%1$s@example.com,b-%1$s,free\n"
                                                .formatted(k), mapping, "UPSERT");
        assertThat(first.get("created").asLong()).isEqualTo(2);
        String importId = first.get("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(
                () -> api.get("/api/contacts?externalId=b-" + k).json().get("items").size() == 1);
        String ann = api.get("/api/contacts?externalId=a-" + k).json().get("items").get(0).get("id").asText();
        String ben = api.get("/api/contacts?externalId=b-" + k).json().get("items").get(0).get("id").asText();
        // one event holds both creations; the contacts' own streams are empty so far
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier in (?, ?)",
                                       Long.class, ann, ben)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where payload_type = ? "
                                               + "and convert_from(payload, 'UTF8') like ?", Long.class,
                                       "io.herald.api.contact.ContactsImportedEvent", "%" + importId + "%")).isEqualTo(1);
        assertThat(io.herald.api.contact.ContactsImportedEvent.partitionOf(ann))
                .isEqualTo(io.herald.api.contact.ContactsImportedEvent.partitionOf(ben));

        // changed through the API: the aggregate loads its creation from the batch event
        Response patched = api.send("PATCH", "/api/contacts/" + ann, "{\"attributes\":{\"plan\":\"pro\"}}",
                                    "application/json", Map.of());
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        // and by a second import (UPSERT through the aggregate)
        JsonNode secondDone = importAndAwait("Email,User ID,Plan\nben-%1$s@example.com,b-%1$s,team\n".formatted(k),
                                             mapping, "UPSERT");
        assertThat(secondDone.get("updated").asLong()).isEqualTo(1);
        assertThat(secondDone.get("created").asLong()).isZero();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(api.get("/api/contacts/" + ann).json().get("attributes").get("plan").asText()).isEqualTo("pro");
            assertThat(api.get("/api/contacts/" + ben).json().get("attributes").get("plan").asText()).isEqualTo("team");
        });
        // the next event of an imported contact is its sequence 1
        assertThat(jdbc.queryForObject("select min(sequence_number) from domain_event_entry where aggregate_identifier = ?",
                                       Long.class, ann)).isEqualTo(1L);

        JsonNode timeline = api.get("/api/contacts/" + ann + "/timeline").json().get("entries");
        assertThat(timeline).hasSize(2);
        assertThat(timeline.get(0).get("type").asText()).isEqualTo("ContactCreated");
        assertThat(timeline.get(0).get("payload").get("contactId").asText()).isEqualTo(ann);
        assertThat(timeline.get(0).get("payload").get("source").asText()).isEqualTo("import:" + importId);
        assertThat(timeline.get(0).get("payload").get("profile").get("email").asText()).isEqualTo("ann-" + k + "@example.com");
        assertThat(timeline.get(0).get("payload").get("attributes").get("plan").asText()).isEqualTo("free");
        assertThat(timeline.get(1).get("type").asText()).isEqualTo("ContactAttributesChanged");
    }

    @Test
    void importProgress_isStreamedLive_untilTheImportEnds() throws Exception {
        String k = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("Email\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append("live-").append(k).append('-').append(i).append("@example.com\n");
        }
        HttpResponse<String> started = Multipart.postImport(port, token, csv.toString().getBytes(StandardCharsets.UTF_8),
                                                            "{\"email\":\"Email\"}", "UPSERT");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = JSON.readTree(started.body()).get("id").asText();
        HttpResponse<java.util.stream.Stream<String>> stream = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/api/contacts/imports/" + id
                                                                          + "/stream"))
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        // the stream ends by itself when the import does
        java.util.List<JsonNode> events = stream.body().filter(line -> line.startsWith("data:"))
                .map(line -> {
                    try {
                        return JSON.readTree(line.substring(5));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
        assertThat(events.size()).as("import events").isGreaterThanOrEqualTo(2);
        assertThat(events.get(0).get("state").asText()).isEqualTo("RUNNING");
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(last.get("rowsRead").asLong()).isEqualTo(20_000);
        assertThat(api.get("/api/contacts/imports/" + UUID.randomUUID() + "/stream").status()).isEqualTo(404);
    }

    @Test
    void createOnlyImport_rejectsRowsOfExistingContacts() throws Exception {
        String k = UUID.randomUUID().toString().substring(0, 8);
        api.post("/api/contacts", "{\"email\":\"exists-%s@example.com\"}".formatted(k));
        JsonNode done = importAndAwait("Email\nexists-%1$s@example.com\nnew-%1$s@example.com\nnew-%1$s@example.com\n"
                                               .formatted(k), "{\"email\":\"Email\"}", "CREATE_ONLY");
        assertThat(done.get("created").asLong()).isEqualTo(1);
        assertThat(done.get("rejected").asLong()).isEqualTo(2);
        assertThat(done.get("rejectedRows").get(0).get("code").asText()).isEqualTo("import.row.exists");
        assertThat(done.get("rejectedRows").get(1).get("code").asText()).isEqualTo("import.row.duplicate");
    }

    @Test
    void upsertImport_rowWhoseEmailAndExternalIdBelongToTwoContacts_isRejected_andNothingElseChanges() throws Exception {
        String k = UUID.randomUUID().toString().substring(0, 8);
        String x = api.post("/api/contacts", "{\"email\":\"x-%1$s@example.com\",\"externalId\":\"kx-%1$s\"}"
                .formatted(k)).json().get("id").asText();
        api.post("/api/contacts", "{\"email\":\"y-%s@example.com\"}".formatted(k));
        JsonNode done = importAndAwait("Email,User ID\ny-%1$s@example.com,kx-%1$s\nz-%1$s@example.com,kz-%1$s\n".formatted(k),
                                       "{\"email\":\"Email\",\"externalId\":\"User ID\"}", "UPSERT");
        assertThat(done.get("created").asLong()).isEqualTo(1);
        assertThat(done.get("updated").asLong()).isZero();
        assertThat(done.get("rejected").asLong()).isEqualTo(1);
        assertThat(done.get("rejectedRows").get(0).get("rowNumber").asLong()).isEqualTo(2);
        assertThat(done.get("rejectedRows").get(0).get("code").asText()).isEqualTo("contact.email-taken");
        assertThat(api.get("/api/contacts/" + x).json().get("email").asText()).isEqualTo("x-" + k + "@example.com");
    }

    /**
     * The import's row is handed to another worker mid-import, as when this worker was declared dead after a
     * freeze and a survivor took its imports: the worker stores nothing more for it and does not end it; once the
     * other worker's lease has run out the import is taken back and completed, every row once.
     */
    @Test
    void anImportTakenOverByAnotherWorker_getsNoMoreBatchesFromTheFormerOne_andIsCompletedAfterTheOthersLeaseEnds()
            throws Exception {
        String k = UUID.randomUUID().toString().substring(0, 8);
        int rows = 300_000;
        StringBuilder csv = new StringBuilder("Email\n");
        for (int i = 0; i < rows; i++) {
            csv.append("taken-").append(k).append('-').append(i).append("@example.com\n");
        }
        HttpResponse<String> started = Multipart.postImport(port, token, csv.toString().getBytes(StandardCharsets.UTF_8),
                                                            "{\"email\":\"Email\"}", "UPSERT");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String importId = JSON.readTree(started.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> jdbc.queryForObject(
                "select coalesce(max(next_batch), 0) from contact_import_job where import_id = ?::uuid", Long.class,
                importId) >= 2);
        // another live worker takes the import (the batch under way commits first: it holds the row's lock)
        String former = jdbc.queryForObject("select worker_id from contact_import_job where import_id = ?::uuid",
                                            String.class, importId);
        assertThat(former).startsWith("contact-import-");
        jdbc.update("insert into herald_worker (worker_id, kind, host, process_id, started_at, heartbeat_at, expires_at) "
                            + "values (?, 'contact-import', 'test', 'test', now(), now(), now() + interval '4 seconds')",
                    "thief-" + k);
        assertThat(jdbc.update("update contact_import_job set worker_id = ? where import_id = ?::uuid and next_batch < ?",
                               "thief-" + k, importId, rows / 1000)).as("taken over before it finished").isEqualTo(1);
        long atTakeOver = jdbc.queryForObject("select next_batch from contact_import_job where import_id = ?::uuid",
                                              Long.class, importId);
        Thread.sleep(2000);
        assertThat(jdbc.queryForObject("select next_batch from contact_import_job where import_id = ?::uuid", Long.class,
                                       importId)).as("no batch from the former worker").isEqualTo(atTakeOver);
        assertThat(api.get("/api/contacts/imports/" + importId).json().get("state").asText()).isEqualTo("RUNNING");

        JsonNode done = awaitFinished(api, importId);
        assertThat(done.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(done.get("rowsRead").asLong()).isEqualTo(rows);
        assertThat(done.get("created").asLong()).isEqualTo(rows);
        assertThat(jdbc.queryForObject("select count(*) from contact_identity where email like ?", Long.class,
                                       "taken-" + k + "-%")).isEqualTo(rows);
        assertThat(jdbc.queryForObject("select count(*) from herald_worker where worker_id = ?", Integer.class,
                                       "thief-" + k)).as("the dead worker was settled").isZero();
    }

    @Test
    void badFiles_areRefusedUpFront_withAClearCode() {
        long imports = jdbc.queryForObject("select count(*) from contact_import_job", Long.class);
        byte[] latin1 = "Email,Name\njos\u00e9@example.com,Jos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] binary = new byte[]{'P', 'K', 3, 4, 0, 0, 1, 2};
        byte[] good = "Email,Name\na@example.com,A\n".getBytes(StandardCharsets.UTF_8);
        expectRefused(latin1, "{\"email\":\"Email\"}", "UPSERT", "import.file.encoding");
        expectRefused(binary, "{\"email\":\"Email\"}", "UPSERT", "import.file.not-csv");
        expectRefused(new byte[0], "{\"email\":\"Email\"}", "UPSERT", "import.file.no-header");
        expectRefused("Email,Email\n".getBytes(StandardCharsets.UTF_8), "{\"email\":\"Email\"}", "UPSERT",
                      "import.file.duplicate-column");
        expectRefused(good, "{\"email\":\"E-mail\"}", "UPSERT", "import.mapping.missing-column");
        expectRefused(good, "{\"email\":\"Email\",\"attributes\":[{\"column\":\"Age\",\"type\":\"NUMBER\"}]}", "UPSERT",
                      "import.mapping.missing-column");
        expectRefused(good, "{\"phone\":\"Name\"}", "UPSERT", "import.mapping.identity-missing");
        expectRefused(good, "{\"email\":", "UPSERT", "import.mapping.invalid");
        expectRefused(good, "{\"email\":\"Email\",\"colour\":\"x\"}", "UPSERT", "import.mapping.invalid");
        expectRefused(good, "{\"email\":\"Email\"}", "SOMETIMES", "import.mode.invalid");
        assertThat(jdbc.queryForObject("select count(*) from contact_import_job", Long.class)).isEqualTo(imports);
        assertThat(api.get("/api/contacts/imports/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    private void expectRefused(byte[] file, String mapping, String mode, String code) {
        HttpResponse<String> refused = Multipart.postImport(port, token, file, mapping, mode);
        assertThat(refused.statusCode()).as(code + ": " + refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(refused.body()).as(code).contains("\"code\":\"" + code + "\"");
    }
}
