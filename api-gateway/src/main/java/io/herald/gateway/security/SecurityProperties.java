package io.herald.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * The HTTP part of {@code herald.security.*}: CORS and request body limits. (The identity module
 * binds the rest of the prefix: tokens, external issuer, registration, passwords, login throttling.)
 */
@ConfigurationProperties("herald.security")
public record SecurityProperties(Cors cors, Limits limits) {

    public SecurityProperties {
        cors = cors == null ? new Cors(null) : cors;
        limits = limits == null ? new Limits(0, 0, null, null) : limits;
    }

    /** @param allowedOrigins origins allowed by CORS (the dashboard's dev origin by default) */
    public record Cors(List<String> allowedOrigins) {
        public Cors {
            allowedOrigins = allowedOrigins == null ? List.of("http://localhost:3000") : List.copyOf(allowedOrigins);
        }
    }

    /**
     * @param maxBodyBytes     largest request body (1 MiB)
     * @param maxBulkBodyBytes largest body on {@code bulkPaths} (batches, imports: 16 MiB)
     * @param bulkPaths        path patterns that take bulk bodies
     * @param uploadPaths      file uploads (CSV imports), limited by {@code spring.servlet.multipart.*} instead
     */
    public record Limits(long maxBodyBytes, long maxBulkBodyBytes, List<String> bulkPaths, List<String> uploadPaths) {
        public Limits {
            maxBodyBytes = maxBodyBytes <= 0 ? 1024 * 1024 : maxBodyBytes;
            maxBulkBodyBytes = maxBulkBodyBytes <= 0 ? 16L * 1024 * 1024 : maxBulkBodyBytes;
            bulkPaths = bulkPaths == null
                    ? List.of("/api/track/batch", "/v1/batch", "/v1/batch/", "/v1/import", "/v1/import/",
                              "/api/flows/*/entries")
                    : List.copyOf(bulkPaths);
            uploadPaths = uploadPaths == null ? List.of("/api/contacts/imports") : List.copyOf(uploadPaths);
        }
    }
}
