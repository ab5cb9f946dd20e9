package io.herald.gateway.support;

import io.herald.eventstore.support.TestDatabases;

import io.herald.gateway.HeraldApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests: the whole application on a random port, on a real PostgreSQL
 * chosen by {@link TestDatabases}. Subclasses share one application context and one database, so
 * they must not assume the database is empty.
 */
@SpringBootTest(classes = HeraldApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IntegrationTest {

    private static String databaseUrl;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("herald.database.url", IntegrationTest::databaseUrl);
        // rate limits have their own tests (RateLimitIT); here they would only make the suite order-dependent
        registry.add("herald.rate-limits.enabled", () -> "false");
        // the API role: launched campaigns stay RUNNING (their sends are the delivery tests' subject, which
        // run instances with a worker: DeliveryIT, DeliveryDrillIT)
        registry.add("herald.delivery.worker.enabled", () -> "false");
    }

    private static synchronized String databaseUrl() {
        if (databaseUrl == null) {
            databaseUrl = TestDatabases.newDatabase();
        }
        return databaseUrl;
    }
}
