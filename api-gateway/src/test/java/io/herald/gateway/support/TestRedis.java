package io.herald.gateway.support;

import io.herald.eventstore.support.TestDatabases;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * The Redis tests run against, chosen once per JVM: {@code HERALD_TEST_REDIS_URL}, else a
 * Testcontainers Redis when Docker answers, else an embedded Redis server process. Tests that stop
 * Redis on purpose get a {@link #startPrivate() private} embedded server of their own.
 */
public final class TestRedis {

    private static final Logger log = LoggerFactory.getLogger(TestRedis.class);
    private static String url;

    private TestRedis() {
    }

    public static synchronized String url() {
        if (url != null) {
            return url;
        }
        String fromEnvironment = System.getenv("HERALD_TEST_REDIS_URL");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            log.info("Tests use the Redis from HERALD_TEST_REDIS_URL");
            url = fromEnvironment;
        } else if (TestDatabases.dockerAvailable()) {
            GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
            redis.start();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::stop));
            url = "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
        } else {
            PrivateRedis shared = startPrivate();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
            url = shared.url();
        }
        return url;
    }

    /** An embedded Redis process on a free port, which the test may stop and start again. */
    public static PrivateRedis startPrivate() {
        PrivateRedis redis = new PrivateRedis(freePort());
        redis.start();
        return redis;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class PrivateRedis {
        private final int port;
        private RedisServer server;

        PrivateRedis(int port) {
            this.port = port;
        }

        public String url() {
            return "redis://127.0.0.1:" + port;
        }

        public synchronized void start() {
            try {
                server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                        .setting("save \"\"").setting("appendonly no").build();
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public synchronized void stop() {
            try {
                if (server != null) {
                    server.stop();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
