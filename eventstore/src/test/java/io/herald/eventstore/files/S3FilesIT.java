package io.herald.eventstore.files;

import io.herald.eventstore.database.SharedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Shared files in a real S3-compatible server: the one at {@code HERALD_TEST_S3_URL} ({@code .ci/run} starts s3rver,
 * which checks every request's SigV4 signature; access key and secret {@code HERALD_TEST_S3_ACCESS_KEY} /
 * {@code HERALD_TEST_S3_SECRET_KEY}, default s3rver's {@code S3RVER}). Without that variable the tests are skipped:
 * there is no S3 server to talk to.
 */
class S3FilesIT {

    private static S3Client client;
    private static String bucket;
    private static S3Files files;
    private static S3FilesProperties properties;
    /** The S3 operations the client made, in order. */
    private static final List<String> OPERATIONS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void bucket() {
        String url = System.getenv("HERALD_TEST_S3_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                               "HERALD_TEST_S3_URL is not set: no S3-compatible server (.ci/run starts one)");
        bucket = "herald-it-" + UUID.randomUUID().toString().substring(0, 8);
        properties = new S3FilesProperties(bucket, "it/", "us-east-1", URI.create(url), true,
                                           env("HERALD_TEST_S3_ACCESS_KEY", "S3RVER"),
                                           env("HERALD_TEST_S3_SECRET_KEY", "S3RVER"));
        client = S3FilesConfiguration.builder(properties).overrideConfiguration(o -> o.addExecutionInterceptor(
                new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        OPERATIONS.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
                    }
                })).build();
        client.createBucket(b -> b.bucket(bucket));
        files = new S3Files(client, bucket, properties.prefix());
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return content;
    }

    /** Writes {@code content} in ever larger pieces, as a copy loop of an upload does. */
    private static void write(OutputStream out, byte[] content) throws IOException {
        int offset = 0;
        int step = 1;
        while (offset < content.length) {
            int n = Math.min(step, content.length - offset);
            out.write(content, offset, n);
            offset += n;
            step = step * 3 + 1;
        }
    }

    @Test
    void aSmallFile_isOneObject_readsBackTheSame_andIsGoneOnceDeleted() throws Exception {
        byte[] content = random(12_345, 1);
        try (OutputStream out = files.create("import/small.csv")) {
            write(out, content);
        }
        String location = files.location("import/small.csv");
        assertThat(location).isEqualTo("s3://" + bucket + "/it/import/small.csv");
        assertThat(client.headObject(b -> b.bucket(bucket).key("it/import/small.csv")).contentLength())
                .isEqualTo(content.length);
        assertThat(files.exists(location)).isTrue();
        try (InputStream in = files.open(location)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        files.delete(location);
        assertThat(files.exists(location)).isFalse();
        assertThatThrownBy(() -> files.open(location)).isInstanceOf(FileNotFoundException.class);
    }

    @Test
    void aFileOfSeveralParts_isAMultipartUpload_thatReadsBackTheSame() throws Exception {
        byte[] content = random(S3Files.PART * 2 + 4321, 2);
        OPERATIONS.clear();
        try (OutputStream out = files.create("import/large.csv")) {
            write(out, content);
        }
        assertThat(OPERATIONS).containsExactly("CreateMultipartUpload", "UploadPart", "UploadPart", "UploadPart",
                                               "CompleteMultipartUpload");
        String location = files.location("import/large.csv");
        try (InputStream in = files.open(location)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(client.headObject(b -> b.bucket(bucket).key("it/import/large.csv")).contentLength())
                .isEqualTo(content.length);
        files.delete(location);
    }

    @Test
    void anEmptyFile_exists() throws Exception {
        files.create("import/empty.csv").close();
        String location = files.location("import/empty.csv");
        assertThat(files.exists(location)).isTrue();
        try (InputStream in = files.open(location)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void sharedFiles_keepNewFilesInS3_andReadEveryKindOfLocation() throws Exception {
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("s3Files", files));
        // no database is reached for S3 locations
        SharedFiles shared = new SharedFiles(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none"),
                                             beans.getBeanProvider(S3Files.class));
        assertThat(shared.s3Configured()).isTrue();
        byte[] content = random(1000, 3);
        try (OutputStream out = shared.create(SharedFiles.Store.S3, "import/shared.csv")) {
            out.write(content);
        }
        String location = shared.location(SharedFiles.Store.S3, "import/shared.csv");
        assertThat(location).startsWith("s3://");
        assertThat(shared.exists(location)).isTrue();
        try (InputStream in = shared.open(location)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        shared.delete(location);
        assertThat(shared.exists(location)).isFalse();

        SharedFiles withoutS3 = new SharedFiles(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none"));
        assertThat(withoutS3.s3Configured()).isFalse();
        assertThatThrownBy(() -> withoutS3.open(location)).isInstanceOf(IOException.class)
                .hasMessageContaining("HERALD_FILES_S3_BUCKET");
    }

    @Test
    void aRefusedRequest_isAnIOException_notAnUncheckedOne_andLeavesNoUploadBehind() {
        S3Files noBucket = new S3Files(client, bucket + "-missing", "it/");
        assertThatThrownBy(() -> {
            try (OutputStream out = noBucket.create("import/refused.csv")) {
                out.write(1);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("s3://" + bucket + "-missing/it/import/refused.csv");
        assertThatThrownBy(() -> noBucket.open(noBucket.location("import/any.csv"))).isInstanceOf(IOException.class);
        OPERATIONS.clear();
        assertThatThrownBy(() -> {
            try (OutputStream out = noBucket.create("import/large.csv")) {
                write(out, random(S3Files.PART + 1, 4));
            }
        }).isInstanceOf(IOException.class);
        // the failed part's upload was never started, or was aborted: nothing is left half-written
        assertThat(OPERATIONS).doesNotContain("CompleteMultipartUpload");
    }
}
