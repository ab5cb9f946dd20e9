package io.herald.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

import static io.herald.eventstore.SettingChecks.atLeastOne;
import static io.herald.eventstore.SettingChecks.positive;

/**
 * The gateway's settings, one record (README, "Configuration"; property names and environment
 * variables as documented there). Values that cannot work are refused at start-up, naming the setting.
 *
 * @param dataDir        {@code herald.data-dir}: the default root of the imports directory
 * @param redis          {@code herald.redis.*}
 * @param readYourWrites {@code herald.read-your-writes.*}
 * @param imports        {@code herald.imports.storage} and {@code .directory} (the other import settings are the
 *                       command side's)
 * @param tracking       {@code herald.tracking.group-commit.*} (the other tracking settings are the command side's)
 */
@ConfigurationProperties("herald")
public record GatewayProperties(Path dataDir, Redis redis, ReadYourWrites readYourWrites, Imports imports,
                                Tracking tracking) {

    public GatewayProperties {
        dataDir = dataDir == null || dataDir.toString().isBlank() ? Path.of("./data") : dataDir;
        redis = redis == null ? new Redis(null, null) : redis;
        readYourWrites = readYourWrites == null ? new ReadYourWrites(null, null) : readYourWrites;
        imports = imports == null ? new Imports(null, null) : imports;
        if (imports.directory() == null || imports.directory().toString().isBlank()) {
            imports = new Imports(dataDir.resolve("imports"), imports.storage());
        }
        tracking = tracking == null ? new Tracking(null) : tracking;
    }

    /**
     * @param url     Redis shared by all instances; empty: limits are kept per instance
     * @param timeout connect and command timeout (&gt; 0)
     */
    public record Redis(String url, Duration timeout) {

        public Redis {
            url = url == null ? "" : url.strip();
            timeout = positive(timeout, Duration.ofMillis(250), "herald.redis.timeout");
        }
    }

    /**
     * @param timeout          how long a command's response waits for the read model (then 202; 0: never)
     * @param fallbackInterval re-read interval while waiting (&gt; 0)
     */
    public record ReadYourWrites(Duration timeout, Duration fallbackInterval) {

        public ReadYourWrites {
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("herald.read-your-writes.timeout must not be negative (it is "
                                                           + timeout + ")");
            }
            fallbackInterval = positive(fallbackInterval, Duration.ofMillis(250),
                                        "herald.read-your-writes.fallback-interval");
        }
    }

    /**
     * @param directory where uploaded CSV files wait until their import has finished, with {@code storage}
     *                  {@code directory}
     * @param storage   {@code database} (the default): uploads are kept in PostgreSQL, where every instance
     *                  reaches them (an import uploaded to one api instance is run by any worker);
     *                  {@code directory}: in {@code directory}, on this instance's disk (one instance, or a
     *                  directory every instance mounts); {@code s3}: in the S3 bucket of {@code herald.files.s3}
     *                  (which must be set), where every instance reaches them and PostgreSQL does not hold them
     */
    public record Imports(Path directory, ImportStorage storage) {

        public Imports {
            storage = storage == null ? ImportStorage.DATABASE : storage;
        }
    }

    /** Where uploaded import files wait ({@code herald.imports.storage}). */
    public enum ImportStorage {
        DATABASE, DIRECTORY, S3
    }

    /** @param groupCommit how tracked events of concurrent requests are stored together */
    public record Tracking(GroupCommit groupCommit) {

        public Tracking {
            groupCommit = groupCommit == null ? new GroupCommit(null, null) : groupCommit;
        }
    }

    /**
     * @param writers   groups written at once (at least 1)
     * @param maxEvents events per group at most (at least 1)
     */
    public record GroupCommit(Integer writers, Integer maxEvents) {

        public GroupCommit {
            writers = atLeastOne(writers, 4, "herald.tracking.group-commit.writers");
            maxEvents = atLeastOne(maxEvents, 500, "herald.tracking.group-commit.max-events");
        }
    }
}
