package io.herald.eventstore.files;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;

/**
 * Where shared files go when they go to S3 ({@code herald.files.s3}; README, "Configuration").
 *
 * @param bucket          the bucket (empty: no S3, every shared file stays in PostgreSQL)
 * @param prefix          put before every key (e.g. {@code herald/})
 * @param region          the bucket's region
 * @param endpoint        another S3 endpoint than AWS's (MinIO, Ceph, a local test server); empty: AWS
 * @param pathStyle       address the bucket in the path rather than the host name (most S3-compatible stores)
 * @param accessKeyId     with {@code secretAccessKey}: fixed credentials; empty: the SDK's default chain (the ECS
 *                        task role, environment, profile)
 * @param secretAccessKey see {@code accessKeyId}
 */
@ConfigurationProperties("herald.files.s3")
public record S3FilesProperties(String bucket, String prefix, String region, URI endpoint, boolean pathStyle,
                                String accessKeyId, String secretAccessKey) {

    public S3FilesProperties {
        bucket = bucket == null ? "" : bucket.strip();
        prefix = prefix == null ? "" : prefix.strip();
        region = region == null || region.isBlank() ? "us-east-1" : region.strip();
        if (endpoint != null && endpoint.toString().isBlank()) {
            endpoint = null;
        }
        if (!bucket.isEmpty() && (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"))) {
            throw new IllegalArgumentException("herald.files.s3.bucket must be an S3 bucket name (3 to 63 lower-case "
                                                       + "letters, digits, dots and hyphens), not '" + bucket + "'");
        }
        if (blank(accessKeyId) != blank(secretAccessKey)) {
            throw new IllegalArgumentException("herald.files.s3.access-key-id and .secret-access-key go together: "
                                                       + "set both, or neither (the SDK's default credentials)");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    public boolean enabled() {
        return !bucket.isEmpty();
    }

    boolean fixedCredentials() {
        return !blank(accessKeyId);
    }
}
