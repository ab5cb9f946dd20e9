package io.herald.bench.jpa;

import org.springframework.boot.autoconfigure.domain.EntityScan;

import java.util.List;

/**
 * Added to the application's sources for the JPA storage engine run only (deliberately not a
 * {@code @Configuration}: HeraldApplication scans {@code io.herald}, and this must not apply to the
 * JDBC run). HeraldApplication's {@code @EntityScan("io.herald")} replaces the packages Axon's JPA
 * auto-configurations register, so Axon's entities are listed here again; Spring merges both scans.
 * With {@link ByteaPostgreSQLDialect} (bytea, not oid, for the {@code @Lob byte[]} payloads) and the
 * orm.xml in {@link #MAPPING} (ids from the existing sequences, allocation size 1), Axon's JPA
 * entities map onto the tables Flyway created for the JDBC engine: no second schema.
 */
@EntityScan({
        "io.herald",
        "org.axonframework.eventsourcing.eventstore.jpa",
        "org.axonframework.eventhandling.tokenstore.jpa",
        "org.axonframework.modelling.saga.repository.jpa",
        "org.axonframework.eventhandling.deadletter.jpa"
})
public class JpaEngineConfiguration {

    /** Orm.xml with allocation size 1 on the sequences Flyway already created (see the file). */
    public static final String MAPPING = "META-INF/herald-bench/axon-jpa-orm.xml";

    /**
     * Arguments that turn the application onto Axon's JPA storage engine, token store and saga
     * store, given the application's own exclusion list without Axon's JPA auto-configurations.
     * Passed as command-line arguments so they win over application.yml; a list given there
     * replaces the whole list from the yml, hence the complete list.
     */
    public static List<String> arguments(List<String> excludeArguments) {
        List<String> args = new java.util.ArrayList<>(excludeArguments);
        args.add("--spring.jpa.database-platform=" + ByteaPostgreSQLDialect.class.getName());
        args.add("--spring.jpa.mapping-resources=" + MAPPING);
        // Herald's own switch (io.herald.eventstore.EventStoreConfiguration): its JPA engine bean replaces the JDBC one.
        // Axon's JpaEventStoreAutoConfiguration would not: it steps back because Herald defines its
        // own EventBus bean. Axon's JpaAutoConfiguration, re-enabled above, brings the JPA token
        // store, saga store and EntityManagerProvider.
        args.add("--herald.event-store.engine=jpa");
        return args;
    }
}
