package io.herald.gateway.contact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.eventstore.files.S3FilesConfiguration;
import io.herald.eventstore.files.S3FilesProperties;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code herald.imports.storage=s3}: an upload goes to the S3-compatible server at {@code HERALD_TEST_S3_URL}
 * ({@code .ci/run} starts s3rver; skipped without it), the worker reads it from there, and the object is removed
 * once the import has completed. PostgreSQL never holds the file.
 */
@EnabledIfEnvironmentVariable(named = "HERALD_TEST_S3_URL", matches = ".+")
class ContactImportS3IT extends IntegrationTest {

    private static final String BUCKET = "herald-import-" + UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        S3FilesProperties properties = properties();
        try (S3Client client = S3FilesConfiguration.client(properties)) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
        registry.add("herald.imports.storage", () -> "s3");
        registry.add("herald.files.s3.bucket", () -> BUCKET);
        registry.add("herald.files.s3.prefix", () -> "uploads/");
        registry.add("herald.files.s3.endpoint", () -> properties.endpoint().toString());
        registry.add("herald.files.s3.path-style", () -> "true");
        registry.add("herald.files.s3.access-key-id", properties::accessKeyId);
        registry.add("herald.files.s3.secret-access-key", properties::secretAccessKey);
    }

    private static S3FilesProperties properties() {
        return new S3FilesProperties(BUCKET, "uploads/", "us-east-1", URI.create(System.getenv("HERALD_TEST_S3_URL")),
                                     true, env("HERALD_TEST_S3_ACCESS_KEY", "S3RVER"),
                                     env("HERALD_TEST_S3_SECRET_KEY", "S3RVER"));
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    private static final int ROWS = 50_000;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anUploadWaitsInS3_isImportedFromThere_andIsRemovedOnceDone() throws Exception {
        ApiClient anonymous = new ApiClient(port);
        String token = TestAuth.admin(anonymous);
        ApiClient api = TestAuth.asAdmin(anonymous);
        String k = UUID.randomUUID().toString().substring(0, 8);
        // enough rows that the import is still running when the job row is read below (a finished import's row is gone)
        StringBuilder rows = new StringBuilder("Email,User ID,Plan\nann-%1$s@example.com,a-%1$s,free\nben-%1$s@example.com,b-%1$s,pro\n".formatted(k));
        for (int i = 0; i < ROWS - 2; i++) {
            rows.append("c").append(i).append('-').append(k).append("@example.com,c").append(i).append('-').append(k)
                    .append(",free\n");
        }
        String csv = rows.toString();
        String mapping = "{\"email\":\"Email\",\"externalId\":\"User ID\","
                + "\"attributes\":[{\"column\":\"Plan\",\"name\":\"plan\"}]}";

        HttpResponse<String> started = Multipart.postImport(port, token, csv.getBytes(StandardCharsets.UTF_8), mapping,
                                                            "UPSERT");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String importId = JSON.readTree(started.body()).get("id").asText();
        String key = "uploads/import/" + importId + ".csv";
        assertThat(jdbc.queryForObject("select file_path from contact_import_job where import_id = ?::uuid", String.class,
                                       importId)).isEqualTo("s3://" + BUCKET + "/" + key);
        assertThat(jdbc.queryForObject("select count(*) from herald_shared_file_chunk where file_id like ?",
                                       Long.class, "%" + importId + "%")).isZero();

        JsonNode done = ContactImportIT.awaitFinished(api, importId);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(done.get("created").asLong()).isEqualTo(ROWS);
        await().atMost(Duration.ofSeconds(20)).until(
                () -> api.get("/api/contacts?externalId=b-" + k).json().get("items").size() == 1);
        assertThat(api.get("/api/contacts?externalId=b-" + k).json().get("items").get(0).get("attributes")
                           .get("plan").asText()).isEqualTo("pro");
        try (S3Client client = S3FilesConfiguration.client(properties())) {
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> client.listObjectsV2(b -> b.bucket(BUCKET).prefix(key)).keyCount() == 0);
        }
    }
}
